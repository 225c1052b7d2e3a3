import Foundation
import IndgangCore
import PostgresNIO

/// Citizens: found by blind index, created on first mention, and serialised per citizen.
enum CitizenSQL {
    /// Takes the citizen's transaction-scoped advisory lock. Every command that may create a case or apply
    /// pathway rules for a citizen takes it first, so they run one at a time per citizen (and never collide on
    /// the one-open-case index). Keyed on the blind index, so it works before the citizen row exists.
    static func lock(index: Data, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey(index: index)))", logger: logger)
    }

    /// The first eight bytes of the blind index as the advisory lock key.
    static func lockKey(index: Data) -> Int64 {
        index.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// The stored events of `ids`, each citizen's as the rules engine reads them (actor kinds resolved,
    /// retractions and corrections applied). With `postedBy`, only the events that actor posted (the nil UUID:
    /// internal tools).
    static func histories(of ids: [UUID], postedBy: UUID? = nil, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: [CitizenEvent]] {
        try await storedHistories(of: ids, postedBy: postedBy, on: connection, logger: logger).mapValues(\.effective)
    }

    /// The stored events of `ids` as posted, with their amendments and posting actors.
    static func storedHistories(of ids: [UUID], postedBy: UUID? = nil, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: StoredHistory] {
        let rows = try await connection.query(
            """
            SELECT e.citizen_id, e.id, e.source, e.external_id, e.type, e.occurred_at, e.attributes::text, a.kind,
                   coalesce(e.posting_actor_id, \(ChangeSet.noID)), e.amends_event_id
            FROM events e LEFT JOIN actors a ON a.id = e.actor_id WHERE e.citizen_id = ANY(\(ids)::uuid[])
              AND (\(postedBy)::uuid IS NULL OR coalesce(e.posting_actor_id, \(ChangeSet.noID)) = \(postedBy))
            """,
            logger: logger
        )
        var histories: [UUID: StoredHistory] = [:]
        for try await (citizen, id, source, externalID, typeText, occurredAt, attributes, kind, postingActor, amends) in rows.decode(
            (UUID, UUID, String, String, String, Date, String, String?, UUID, UUID?).self)
        {
            let type = try EventType(decoding: typeText)
            histories[citizen, default: StoredHistory()].postingActors[id] = postingActor
            if let amends {
                guard let amendment = StoredHistory.amendment(
                    type: type, target: amends, attributes: attributes, occurredAt: occurredAt, source: source, externalID: externalID)
                else { throw UnknownStoredValue(type: "event amendment", value: id.uuidString) }
                histories[citizen, default: StoredHistory()].amendments.append(amendment)
                continue
            }
            histories[citizen, default: StoredHistory()].events.append(
                CitizenEvent(
                    id: id, source: source, externalID: externalID, type: type, occurredAt: occurredAt,
                    attributes: try JSONDecoder().decode([String: String].self, from: Data(attributes.utf8)),
                    actorKind: try kind.map { try ActorKind(decoding: $0) }))
        }
        return histories
    }

    static func find(index: Data, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        let rows = try await connection.query("SELECT id FROM citizens WHERE cpr_index = \(index)", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// The citizen's id, creating the row (sealed CPR, blind index, birth date) on first mention.
    static func findOrCreate(cpr: CPR, cipher: CPRCipher, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        if let existing = try await find(index: cipher.blindIndex(cpr), on: connection, logger: logger) { return existing }
        return try await create(cpr: cpr, cipher: cipher, on: connection, logger: logger)
    }

    /// Creates the citizen; the caller holds the citizen lock and knows the row does not exist.
    static func create(cpr: CPR, cipher: CPRCipher, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let index = cipher.blindIndex(cpr)
        let id = UUID.v7()
        try await connection.query(
            """
            INSERT INTO citizens (id, cpr_index, cpr_sealed, birth_date)
            VALUES (\(id), \(index), \(try cipher.seal(cpr)), \(cpr.birthDate.description)::date)
            """,
            logger: logger
        )
        return id
    }
}
