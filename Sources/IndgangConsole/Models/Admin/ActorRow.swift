struct ActorRow: Sendable {
    let slug: String
    let name: String
    let kindLabel: String
    let municipalityCode: String

    init(_ actor: AdminActor) {
        slug = actor.slug
        name = actor.name
        kindLabel = DanishLabels.actorKind(actor.kind)
        municipalityCode = actor.municipalityCode ?? "–"
    }
}
