import Foundation
import IndgangCore
import PostgresNIO

public struct PostgresActorRepository: ActorRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(_ actor: NewActor) async throws -> ActorRecord {
        let id = UUID.v7()
        do {
            let rows = try await database.client.query(
                """
                INSERT INTO actors (id, slug, name, kind, municipality_code)
                VALUES (\(id), \(actor.slug), \(actor.name), \(actor.kind.rawValue), \(actor.municipalityCode))
                RETURNING created_at
                """,
                logger: database.logger
            )
            var createdAt = Date()
            for try await value in rows.decode(Date.self) { createdAt = value }
            return ActorRecord(
                id: id, slug: actor.slug, name: actor.name, kind: actor.kind, municipalityCode: actor.municipalityCode, createdAt: createdAt)
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw IndgangError.conflict("an actor with slug \(actor.slug) already exists")
        }
    }

    public func list() async throws -> [ActorRecord] {
        let rows = try await database.client.query(
            "SELECT id, slug, name, kind, municipality_code, created_at FROM actors ORDER BY slug", logger: database.logger)
        var actors: [ActorRecord] = []
        for try await (id, slug, name, kind, code, createdAt) in rows.decode((UUID, String, String, String, String?, Date).self) {
            actors.append(
                ActorRecord(id: id, slug: slug, name: name, kind: ActorKind(rawValue: kind) ?? .other, municipalityCode: code, createdAt: createdAt))
        }
        return actors
    }

    public func issueKey(actorSlug: String, role: Role, label: String?) async throws -> IssuedKey {
        let key = APIKeyMaterial.generate()
        let id = UUID.v7()
        let rows = try await database.client.query(
            """
            INSERT INTO api_keys (id, actor_id, role, label, key_hash)
            SELECT \(id), a.id, \(role.rawValue), \(label), \(APIKeyMaterial.hash(key)) FROM actors a WHERE a.slug = \(actorSlug)
            RETURNING id
            """,
            logger: database.logger
        )
        guard try await rows.collect().count == 1 else { throw IndgangError.notFound("no actor with slug \(actorSlug)") }
        return IssuedKey(id: id, key: key, role: role, actorSlug: actorSlug, label: label)
    }

    public func revokeKey(id: UUID) async throws -> Bool {
        let rows = try await database.client.query(
            "UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: database.logger)
        return try await rows.collect().count == 1
    }

    public func principal(forKeyHash hash: Data) async throws -> Principal? {
        let rows = try await database.client.query(
            """
            SELECT k.id, k.role, a.id, a.slug FROM api_keys k JOIN actors a ON a.id = k.actor_id
            WHERE k.key_hash = \(hash) AND k.revoked_at IS NULL
            """,
            logger: database.logger
        )
        for try await (keyID, role, actorID, slug) in rows.decode((UUID, String, UUID, String).self) {
            guard let role = Role(rawValue: role) else { return nil }
            return Principal(keyID: keyID, actorID: actorID, actorSlug: slug, role: role)
        }
        return nil
    }
}
