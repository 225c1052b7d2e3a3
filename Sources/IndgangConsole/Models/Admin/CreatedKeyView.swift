struct CreatedKeyView: Sendable {
    let key: String
    let actor: String
    let roleLabel: String

    init(_ created: CreatedKey) {
        key = created.key
        actor = created.actor
        roleLabel = DanishLabels.role(created.role)
    }
}
