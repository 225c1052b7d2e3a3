import Foundation
import IndgangCore

/// An API key as `GET /v1/keys` lists it: never the key itself.
public struct AdminKey: Sendable, Equatable {
    public var id: String
    public var actor: String
    public var role: Role
    public var label: String?
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(id: String, actor: String, role: Role, label: String? = nil, createdAt: Date, lastUsedAt: Date? = nil) {
        self.id = id
        self.actor = actor
        self.role = role
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
