import Foundation
import IndgangCore

/// Organisation units that can hold responsibility, and the API keys bound to them.
public protocol ActorRepository: Sendable {
    func create(_ actor: NewActor) async throws -> ActorRecord
    func list() async throws -> [ActorRecord]
    func issueKey(actorSlug: String, role: Role, label: String?) async throws -> IssuedKey
    /// Revokes a key at once; false when no such (unrevoked) key exists.
    func revokeKey(id: UUID) async throws -> Bool
    /// The principal an API key stands for, or nil when the key is unknown or revoked.
    func principal(forKeyHash hash: Data) async throws -> Principal?
}
