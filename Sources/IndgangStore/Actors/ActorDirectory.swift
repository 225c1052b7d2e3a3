import Foundation
import IndgangCore
import NIOConcurrencyHelpers
import PostgresNIO

/// Looks up actors for the event path, remembering what it found. Safe to cache without expiry: actors are
/// never deleted, a slug never changes kind, and a municipality code resolves to its first-registered actor.
/// Misses are not remembered, so an actor created a moment ago is found on the next event.
final class ActorDirectory: Sendable {
    struct Entry: Sendable {
        let id: UUID
        let slug: String
        let kind: ActorKind
    }

    private let bySlug = NIOLockedValueBox<[String: Entry]>([:])
    private let byMunicipality = NIOLockedValueBox<[String: Entry]>([:])

    func actor(slug: String, on connection: PostgresConnection, logger: Logger) async throws -> Entry? {
        if let hit = bySlug.withLockedValue({ $0[slug] }) { return hit }
        let rows = try await connection.query("SELECT id, slug, kind FROM actors WHERE slug = \(slug)", logger: logger)
        for try await (id, slug, kind) in rows.decode((UUID, String, String).self) {
            let entry = Entry(id: id, slug: slug, kind: try ActorKind(decoding: kind))
            bySlug.withLockedValue { $0[slug] = entry }
            return entry
        }
        return nil
    }

    /// The slug of an actor by id (for payloads that name actors).
    func slug(id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        if let hit = bySlug.withLockedValue({ $0.values.first { $0.id == id } }) { return hit.slug }
        let rows = try await connection.query("SELECT id, slug, kind FROM actors WHERE id = \(id)", logger: logger)
        for try await (id, slug, kind) in rows.decode((UUID, String, String).self) {
            let entry = Entry(id: id, slug: slug, kind: try ActorKind(decoding: kind))
            bySlug.withLockedValue { $0[slug] = entry }
            return slug
        }
        return nil
    }

    func municipality(code: String, on connection: PostgresConnection, logger: Logger) async throws -> Entry? {
        if let hit = byMunicipality.withLockedValue({ $0[code] }) { return hit }
        let rows = try await connection.query(
            "SELECT id, slug FROM actors WHERE kind = 'municipality' AND municipality_code = \(code) ORDER BY created_at, id LIMIT 1", logger: logger)
        for try await (id, slug) in rows.decode((UUID, String).self) {
            let entry = Entry(id: id, slug: slug, kind: .municipality)
            byMunicipality.withLockedValue { $0[code] = entry }
            return entry
        }
        return nil
    }
}
