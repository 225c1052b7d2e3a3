import Foundation
import IndgangCore

/// A freshly created API key: the only moment its plain text exists outside the client.
public struct IssuedKey: Sendable {
    public let id: UUID
    public let key: String
    public let role: Role
    public let actorSlug: String
    public let label: String?
    /// Explicit event grants of an integration key; nil: the defaults of its actor's kind.
    public let eventTypes: [EventType]?
}

/// An API key as an admin sees it: never the key itself.
public struct KeyRecord: Sendable, Equatable {
    public let id: UUID
    public let actorSlug: String
    public let role: Role
    public let label: String?
    /// The event types the key may post (integration keys: explicit grants, or the defaults of the actor's kind).
    public let eventTypes: [EventType]?
    public let eventTypesExplicit: Bool
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}
