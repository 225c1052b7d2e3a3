import Foundation
import IndgangCore

public struct ActorRecord: Sendable, Equatable {
    public let id: UUID
    public let slug: String
    public let name: String
    public let kind: ActorKind
    public let municipalityCode: String?
    /// The SOR code (Sundhedsvæsenets Organisationsregister) and EAN location number that MedCom messages name.
    public var sorCode: String? = nil
    public var ean: String? = nil
    public let createdAt: Date
}

public struct NewActor: Sendable {
    public let slug: String
    public let name: String
    public let kind: ActorKind
    public let municipalityCode: String?
    public let sorCode: String?
    public let ean: String?

    public init(slug: String, name: String, kind: ActorKind, municipalityCode: String?, sorCode: String? = nil, ean: String? = nil) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.municipalityCode = municipalityCode
        self.sorCode = sorCode
        self.ean = ean
    }
}
