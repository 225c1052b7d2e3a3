import Foundation
import IndgangCore

/// Organisation units that can hold responsibility, and the API keys bound to them.
public protocol ActorRepository: Sendable {
    func create(_ actor: NewActor) async throws -> ActorRecord
    func list() async throws -> [ActorRecord]
    func issueKey(actorSlug: String, role: Role, label: String?, eventTypes: [EventType]?) async throws -> IssuedKey
    /// Keys (never the key itself), newest first: an actor's, one by id, or all.
    func keys(actorSlug: String?, id: UUID?) async throws -> [KeyRecord]
    /// Revokes a key at once; the subscriptions created with it, or nil when no such (unrevoked) key exists.
    func revokeKey(id: UUID) async throws -> [UUID]?
    /// The principal an API key stands for, or nil when the key is unknown or revoked.
    func principal(forKeyHash hash: Data) async throws -> Principal?
}
