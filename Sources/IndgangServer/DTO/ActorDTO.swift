import Foundation
import Hummingbird
import IndgangStore

/// An actor on the wire. DTO properties are spelled as the JSON fields (snake_case) on purpose.
struct ActorDTO: ResponseEncodable {
    let id: String
    let slug: String
    let name: String
    let kind: String
    let municipality_code: String?
    let sor_code: String?
    let ean: String?
    let created_at: Date

    init(_ actor: ActorRecord) {
        id = actor.id.wire
        slug = actor.slug
        name = actor.name
        kind = actor.kind.rawValue
        municipality_code = actor.municipalityCode
        sor_code = actor.sorCode
        ean = actor.ean
        created_at = actor.createdAt
    }
}
