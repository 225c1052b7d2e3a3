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
                INSERT INTO actors (id, slug, name, kind, municipality_code, sor_code, ean)
                VALUES (\(id), \(actor.slug), \(actor.name), \(actor.kind.rawValue), \(actor.municipalityCode), \(actor.sorCode), \(actor.ean))
                RETURNING created_at
                """,
                logger: database.logger
            )
            var createdAt = Date()
            for try await value in rows.decode(Date.self) { createdAt = value }
            return ActorRecord(
                id: id, slug: actor.slug, name: actor.name, kind: actor.kind, municipalityCode: actor.municipalityCode, sorCode: actor.sorCode,
                ean: actor.ean, createdAt: createdAt)
        } catch let error as PSQLError where error.sqlState == "23505" {
            switch error.constraintName {
            case "actors_sor_code_key": throw IndgangError.conflict("another actor has SOR code \(actor.sorCode ?? "")")
            case "actors_ean_key": throw IndgangError.conflict("another actor has EAN \(actor.ean ?? "")")
            default: throw IndgangError.conflict("an actor with slug \(actor.slug) already exists")
            }
        }
    }

    public func list() async throws -> [ActorRecord] {
        let rows = try await database.client.query(
            "SELECT id, slug, name, kind, municipality_code, sor_code, ean, created_at FROM actors ORDER BY slug", logger: database.logger)
        var actors: [ActorRecord] = []
        for try await (id, slug, name, kind, code, sor, ean, createdAt) in rows.decode((UUID, String, String, String, String?, String?, String?, Date).self) {
            actors.append(
                ActorRecord(
                    id: id, slug: slug, name: name, kind: try ActorKind(decoding: kind), municipalityCode: code, sorCode: sor, ean: ean,
                    createdAt: createdAt))
        }
        return actors
    }

    public func issueKey(actorSlug: String, role: Role, label: String?, eventTypes: [EventType]?) async throws -> IssuedKey {
        let key = APIKeyMaterial.generate()
        let id = UUID.v7()
        let rows = try await database.client.query(
            """
            INSERT INTO api_keys (id, actor_id, role, label, key_hash, event_types)
            SELECT \(id), a.id, \(role.rawValue), \(label), \(APIKeyMaterial.hash(key)), \(eventTypes?.map(\.rawValue))::text[]
            FROM actors a WHERE a.slug = \(actorSlug)
            RETURNING id
            """,
            logger: database.logger
        )
        guard try await rows.collect().count == 1 else { throw IndgangError.notFound("no actor with slug \(actorSlug)") }
        return IssuedKey(id: id, key: key, role: role, actorSlug: actorSlug, label: label, eventTypes: eventTypes)
    }

    public func keys(actorSlug: String?, id: UUID?) async throws -> [KeyRecord] {
        let rows = try await database.client.query(
            """
            SELECT k.id, a.slug, a.kind, k.role, k.label, k.event_types, k.created_at,
                   (SELECT max(l.at) FROM audit_log l WHERE l.key_id = k.id), k.revoked_at
            FROM api_keys k JOIN actors a ON a.id = k.actor_id
            WHERE (\(actorSlug)::text IS NULL OR a.slug = \(actorSlug)) AND (\(id)::uuid IS NULL OR k.id = \(id))
            ORDER BY k.created_at DESC, k.id DESC
            """,
            logger: database.logger
        )
        var keys: [KeyRecord] = []
        for try await (keyID, slug, kind, role, label, grants, createdAt, lastUsed, revokedAt) in rows.decode(
            (UUID, String, String, String, String?, [String]?, Date, Date?, Date?).self)
        {
            let role = try Role(decoding: role)
            var eventTypes: [EventType]?
            if role == .integration {
                eventTypes = try grants.map { try $0.map(EventType.init(decoding:)) }
                    ?? EventAuthority.defaultGrants(for: try ActorKind(decoding: kind)).sorted { $0.rawValue < $1.rawValue }
            }
            keys.append(
                KeyRecord(
                    id: keyID, actorSlug: slug, role: role, label: label, eventTypes: eventTypes, eventTypesExplicit: grants != nil, createdAt: createdAt,
                    lastUsedAt: lastUsed, revokedAt: revokedAt))
        }
        return keys
    }

    public func revokeKey(id: UUID) async throws -> [UUID]? {
        try await database.transaction { connection in
            let rows = try await connection.query(
                "UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: database.logger)
            guard try await rows.collect().count == 1 else { return nil }
            let subscriptions = try await connection.query(
                "SELECT id FROM subscriptions WHERE owner_key_id = \(id) AND deleted_at IS NULL ORDER BY id", logger: database.logger)
            var ids: [UUID] = []
            for try await subscription in subscriptions.decode(UUID.self) { ids.append(subscription) }
            return ids
        }
    }

    public func principal(forKeyHash hash: Data) async throws -> Principal? {
        let rows = try await database.client.query(
            """
            SELECT k.id, k.role, a.id, a.slug, a.kind, k.event_types FROM api_keys k JOIN actors a ON a.id = k.actor_id
            WHERE k.key_hash = \(hash) AND k.revoked_at IS NULL
            """,
            logger: database.logger
        )
        for try await (keyID, role, actorID, slug, kind, grants) in rows.decode((UUID, String, UUID, String, String, [String]?).self) {
            return Principal(
                keyID: keyID, actorID: actorID, actorSlug: slug, role: try Role(decoding: role), actorKind: try ActorKind(decoding: kind),
                eventGrants: try grants.map { Set(try $0.map(EventType.init(decoding:))) })
        }
        return nil
    }
}
