import Crypto
import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// Ingests events under the citizen's advisory lock: idempotency check, the citizen's whole history replayed
/// through the pathway rules, the new effects applied, and the event stored with its result, in one
/// transaction. Replaying the complete history in `occurred_at` order is what makes late events land where
/// they belong: the end state does not depend on arrival order.
public struct PostgresEventRepository: EventRepository {
    let database: Database
    let cipher: CPRCipher
    let engine: PathwayEngine
    let escalationActors: [String: String]
    private let actors = ActorDirectory()
    /// Keys the body digest; derived from the data key, so digests reveal nothing about the CPR in the body.
    private let digestKey: Data

    public init(database: Database, cipher: CPRCipher, dataKey: Data, engine: PathwayEngine, escalationActors: [String: String]) {
        self.database = database
        self.cipher = cipher
        self.engine = engine
        self.escalationActors = escalationActors
        self.digestKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: dataKey), info: Data("indgang event digest v1".utf8), outputByteCount: 32
        ).withUnsafeBytes { Data($0) }
    }

    private var logger: Logger { database.logger }

    /// Thrown to roll a dry run back after doing all of its work.
    private struct DryRun: Error {
        let result: IngestResult
    }

    public func ingest(_ event: IncomingEvent, dryRun: Bool, access: AccessContext) async throws -> IngestResult {
        let digest = Data(HMAC<SHA256>.authenticationCode(for: event.canonicalBody, using: SymmetricKey(data: digestKey)))
        do {
            let result = try await database.transaction { connection in
                let result = try await ingest(event, digest: digest, access: access, on: connection)
                if dryRun && !result.replayed { throw DryRun(result: result) }
                return result
            }
            return result
        } catch let dry as DryRun {
            // The work was rolled back; that personal data was read for it is still recorded.
            try await database.transaction { connection in
                try await AuditLog.record("event.dry_run", citizenID: nil, caseID: nil, access: access, on: connection, logger: logger)
            }
            return dry.result
        } catch let error as PSQLError where error.sqlState == "23505" && error.constraintName == "events_idempotency" {
            // The same key was taken concurrently under another citizen's lock (a different CPR): now it is visible.
            return try await database.transaction { connection in
                guard let replay = try await existing(event, digest: digest, on: connection) else { throw error }
                return replay
            }
        }
    }

    private func ingest(_ event: IncomingEvent, digest: Data, access: AccessContext, on connection: PostgresConnection) async throws -> IngestResult {
        let index = cipher.blindIndex(event.cpr)
        try await CitizenSQL.lock(index: index, on: connection, logger: logger)
        if let replay = try await existing(event, digest: digest, on: connection) { return replay }

        var actorID: UUID?
        var actorKind: ActorKind?
        if let slug = event.attributes["actor"] {
            guard let actor = try await actors.actor(slug: slug, on: connection, logger: logger) else {
                throw IndgangError.invalid(field: "attributes.actor", "no actor with slug \(slug)")
            }
            guard event.type.actorKinds.contains(actor.kind) else {
                throw IndgangError.invalid(
                    field: "attributes.actor",
                    "\(slug) is a \(actor.kind.rawValue); \(event.type.rawValue) comes from a \(event.type.actorKinds.map(\.rawValue).joined(separator: " or "))")
            }
            (actorID, actorKind) = (actor.id, actor.kind)
        }

        let existingCitizen = try await CitizenSQL.find(index: index, on: connection, logger: logger)
        let citizenID: UUID
        if let existingCitizen {
            citizenID = existingCitizen
        } else {
            citizenID = try await CitizenSQL.create(cpr: event.cpr, cipher: cipher, on: connection, logger: logger)
        }
        // A citizen first mentioned now has no history to read.
        let history = existingCitizen == nil ? [] : try await history(citizenID: citizenID, on: connection)
        let eventID = UUID.v7()
        let posted = CitizenEvent(
            id: eventID, source: event.source, externalID: event.externalID, type: event.type, occurredAt: event.occurredAt,
            attributes: event.attributes, actorKind: actorKind)

        if event.type == .citizenMoved {
            // Where the citizen lives now: the latest move by occurred_at, whatever order the moves arrived in.
            let latest = (history + [posted]).filter { $0.type == .citizenMoved }.max(by: CitizenEvent.chronological)
            try await connection.query(
                "UPDATE citizens SET municipality_code = \(latest?.attributes["municipality_code"]) WHERE id = \(citizenID)", logger: logger)
        }

        let applier = EffectApplier(
            connection: connection, logger: logger, citizenID: citizenID, postedEventID: eventID, escalationActors: escalationActors,
            actors: actors)
        var outcomes: [EffectOutcome] = []
        for effect in engine.newEffects(birthDate: event.cpr.birthDate, history: history, adding: [posted]) {
            outcomes.append(try await applier.apply(effect))
        }
        let result = IngestResult(eventID: eventID, effects: outcomes)
        let attributes = String(decoding: try JSONEncoder.sorted.encode(event.attributes), as: UTF8.self)
        let resultJSON = String(decoding: try JSONEncoder.sorted.encode(result), as: UTF8.self)
        let principal = access.principal
        // The event and its audit row in one statement: one round trip fewer on the hot path.
        try await connection.query(
            """
            WITH stored AS (
                INSERT INTO events (id, source, external_id, type, occurred_at, citizen_id, actor_id, attributes, body_digest, result, posted_by_key)
                VALUES (\(eventID), \(event.source), \(event.externalID), \(event.type.rawValue), \(event.occurredAt), \(citizenID), \(actorID),
                        \(attributes)::jsonb, \(digest), \(resultJSON)::jsonb, \(principal.keyID))
                RETURNING citizen_id)
            INSERT INTO audit_log (key_id, actor_id, role, action, citizen_id, case_id, purpose, request_id)
            SELECT \(principal.keyID), \(principal.actorID), \(principal.role.rawValue), 'event.ingest', citizen_id, NULL, \(access.purpose),
                   \(access.requestID)
            FROM stored
            """,
            logger: logger
        )
        return result
    }

    /// The stored result of the same key: a replay when the body is the same, a conflict when it is not.
    private func existing(_ event: IncomingEvent, digest: Data, on connection: PostgresConnection) async throws -> IngestResult? {
        let rows = try await connection.query(
            "SELECT body_digest, result::text FROM events WHERE source = \(event.source) AND external_id = \(event.externalID)", logger: logger)
        for try await (storedDigest, resultText) in rows.decode((Data, String).self) {
            guard storedDigest == digest else {
                throw IndgangError.conflict("event \(event.externalID) from \(event.source) was already posted with a different body")
            }
            var result = try JSONDecoder().decode(IngestResult.self, from: Data(resultText.utf8))
            result.replayed = true
            return result
        }
        return nil
    }

    private func history(citizenID: UUID, on connection: PostgresConnection) async throws -> [CitizenEvent] {
        let rows = try await connection.query(
            """
            SELECT e.id, e.source, e.external_id, e.type, e.occurred_at, e.attributes::text, a.kind
            FROM events e LEFT JOIN actors a ON a.id = e.actor_id WHERE e.citizen_id = \(citizenID)
            """,
            logger: logger
        )
        var events: [CitizenEvent] = []
        for try await (id, source, externalID, type, occurredAt, attributes, kind) in rows.decode(
            (UUID, String, String, String, Date, String, String?).self)
        {
            guard let type = EventType(rawValue: type) else { continue }
            events.append(
                CitizenEvent(
                    id: id, source: source, externalID: externalID, type: type, occurredAt: occurredAt,
                    attributes: (try? JSONDecoder().decode([String: String].self, from: Data(attributes.utf8))) ?? [:],
                    actorKind: kind.flatMap(ActorKind.init(rawValue:))))
        }
        return events
    }
}
