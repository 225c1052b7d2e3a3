import Foundation
import IndgangCore

public struct ActorRecord: Sendable, Equatable {
    public let id: UUID
    public let slug: String
    public let name: String
    public let kind: ActorKind
    public let municipalityCode: String?
    public let createdAt: Date
}

public struct NewActor: Sendable {
    public let slug: String
    public let name: String
    public let kind: ActorKind
    public let municipalityCode: String?

    public init(slug: String, name: String, kind: ActorKind, municipalityCode: String?) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.municipalityCode = municipalityCode
    }
}
