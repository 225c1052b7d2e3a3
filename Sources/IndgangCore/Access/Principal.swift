import Foundation

/// Who is calling: the API key, the actor it is bound to and its role. The bootstrap admin key
/// (`INDGANG_ADMIN_KEY`) has neither key id nor actor.
public struct Principal: Sendable, Equatable {
    public let keyID: UUID?
    public let actorID: UUID?
    public let actorSlug: String?
    public let role: Role
    /// The kind of the key's actor (nil for the bootstrap admin and internal tools).
    public let actorKind: ActorKind?
    /// Event types granted to an integration key explicitly; nil: the defaults of its actor's kind.
    public let eventGrants: Set<EventType>?

    public init(keyID: UUID?, actorID: UUID?, actorSlug: String?, role: Role, actorKind: ActorKind? = nil, eventGrants: Set<EventType>? = nil) {
        self.keyID = keyID
        self.actorID = actorID
        self.actorSlug = actorSlug
        self.role = role
        self.actorKind = actorKind
        self.eventGrants = eventGrants
    }

    public static let bootstrapAdmin = Principal(keyID: nil, actorID: nil, actorSlug: nil, role: .admin)
}

/// A principal plus what the audit log needs to know about the request it makes.
public struct AccessContext: Sendable {
    public let principal: Principal
    /// Why personal data is used: the `X-Purpose` header, or the role's default.
    public let purpose: String
    public let requestID: String?

    public init(principal: Principal, purpose: String? = nil, requestID: String? = nil) {
        self.principal = principal
        self.purpose = purpose ?? principal.role.defaultPurpose
        self.requestID = requestID
    }

    /// The caller's actor; every case command needs one (a key without an actor is the bootstrap admin).
    public func requireActor() throws(IndgangError) -> UUID {
        guard let actorID = principal.actorID else { throw .forbidden("this key is not bound to an actor") }
        return actorID
    }
}
