import Crypto
import Foundation
import IndgangCore
import Logging
import PostgresNIO

public struct PostgresSubscriptionRepository: SubscriptionRepository {
    let database: Database
    let sealer: Sealer

    public init(database: Database, dataKey: SymmetricKey) {
        self.database = database
        self.sealer = Sealer(dataKey: dataKey, purpose: "indgang webhook secret v1")
    }

    private var logger: Logger { database.logger }

    public func create(url: String, kinds: [String], actorSlug: String, access: AccessContext) async throws -> (SubscriptionRecord, secret: String) {
        // Standard Webhooks: `whsec_` and standard base64.
        let secret = "whsec_" + APIKeyMaterial.randomBytes().base64EncodedString()
        let sealed = try sealer.seal(Data(secret.utf8))
        let id = UUID.v7()
        let rows = try await database.client.query(
            """
            INSERT INTO subscriptions (id, owner_key_id, owner_actor_id, actor_id, url, kinds, secret_sealed)
            SELECT \(id), \(access.principal.keyID), \(access.principal.actorID), a.id, \(url), \(kinds), \(sealed) FROM actors a WHERE a.slug = \(actorSlug)
            RETURNING created_at
            """,
            logger: logger
        )
        for try await createdAt in rows.decode(Date.self) {
            return (SubscriptionRecord(id: id, url: url, kinds: kinds, actor: actorSlug, createdAt: createdAt), secret)
        }
        throw IndgangError.invalid(field: "actor", "no actor with slug \(actorSlug)")
    }

    /// Subscriptions belong to an actor: admin keys see every one, an integration its own actor's.
    private static func owned(_ access: AccessContext) -> (all: Bool, actor: UUID?) {
        (access.principal.role == .admin, access.principal.actorID)
    }

    static let select = """
        SELECT s.id, s.url, s.kinds, a.slug, s.created_at, s.active, s.owner_key_id FROM subscriptions s JOIN actors a ON a.id = s.actor_id
        """

    public func list(actorSlug: String?, access: AccessContext) async throws -> [SubscriptionRecord] {
        let (all, actor) = Self.owned(access)
        let rows = try await database.client.query(
            """
            \(unescaped: Self.select)
            WHERE s.deleted_at IS NULL AND (\(all) OR s.actor_id = \(actor)) AND (\(actorSlug)::text IS NULL OR a.slug = \(actorSlug))
            ORDER BY s.id DESC LIMIT 1000
            """,
            logger: logger)
        return try await Self.decode(rows)
    }

    public func get(id: UUID, access: AccessContext) async throws -> SubscriptionRecord {
        let (all, actor) = Self.owned(access)
        let rows = try await database.client.query(
            "\(unescaped: Self.select) WHERE s.id = \(id) AND s.deleted_at IS NULL AND (\(all) OR s.actor_id = \(actor))", logger: logger)
        guard let record = try await Self.decode(rows).first else { throw IndgangError.notFound("no such subscription") }
        return record
    }

    public func update(id: UUID, _ change: SubscriptionChange, access: AccessContext) async throws -> SubscriptionRecord {
        let (all, actor) = Self.owned(access)
        let rows = try await database.client.query(
            """
            UPDATE subscriptions s SET active = coalesce(\(change.active), s.active), url = coalesce(\(change.url), s.url),
                   kinds = coalesce(\(change.kinds)::text[], s.kinds)
            WHERE s.id = \(id) AND s.deleted_at IS NULL AND (\(all) OR s.actor_id = \(actor))
            RETURNING s.id
            """,
            logger: logger)
        guard try await rows.collect().count == 1 else { throw IndgangError.notFound("no such subscription") }
        return try await get(id: id, access: access)
    }

    public func delete(id: UUID, access: AccessContext) async throws -> Bool {
        let (all, actor) = Self.owned(access)
        return try await database.transaction { connection in
            let rows = try await connection.query(
                """
                UPDATE subscriptions s SET deleted_at = now(), active = false
                WHERE s.id = \(id) AND s.deleted_at IS NULL AND (\(all) OR s.actor_id = \(actor)) RETURNING s.id
                """,
                logger: logger)
            guard try await rows.collect().count == 1 else { return false }
            // What was queued for it is not sent any more; the log of what was sent stays.
            try await connection.query(
                "UPDATE deliveries SET status = 'failed', last_error = 'subscription deleted' WHERE subscription_id = \(id) AND status = 'pending'",
                logger: logger)
            return true
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [SubscriptionRecord] {
        var records: [SubscriptionRecord] = []
        for try await (id, url, kinds, actor, createdAt, active, key) in rows.decode((UUID, String, [String], String, Date, Bool, UUID?).self) {
            records.append(SubscriptionRecord(id: id, url: url, kinds: kinds, actor: actor, createdAt: createdAt, active: active, createdByKey: key))
        }
        return records
    }

    public func deliveries(subscriptionID: UUID, status: String?, cursor: DeliveryCursor?, limit: Int, access: AccessContext) async throws -> [DeliveryRecord] {
        let (all, actor) = Self.owned(access)
        let subscription = try await database.client.query(
            "SELECT 1 FROM subscriptions WHERE id = \(subscriptionID) AND (\(all) OR actor_id = \(actor))", logger: logger)
        guard try await subscription.collect().count == 1 else { throw IndgangError.notFound("no such subscription") }
        let rows = try await database.client.query(
            """
            SELECT d.id, d.subscription_id, d.notification_id, n.kind, d.status, d.attempts,
                   CASE WHEN d.status = 'pending' THEN d.next_attempt_at END, d.last_status_code, d.last_error, d.created_at, d.delivered_at,
                   coalesce((SELECT json_agg(json_build_array(extract(epoch FROM a.attempted_at), a.status_code, a.error, a.duration_ms) ORDER BY a.id)
                             FROM delivery_attempts a WHERE a.delivery_id = d.id), '[]')::text,
                   (extract(epoch FROM d.created_at) * 1000000)::bigint
            FROM deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE d.subscription_id = \(subscriptionID) AND (\(status)::text IS NULL OR d.status = \(status))
              AND (\(cursor?.micros)::bigint IS NULL
                   OR (d.created_at, d.id) < (timestamptz 'epoch' + \(cursor?.micros)::bigint * interval '1 microsecond', \(cursor?.id)::uuid))
            ORDER BY d.created_at DESC, d.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var deliveries: [DeliveryRecord] = []
        for try await (id, subscription, notification, kind, status, attemptCount, next, code, error, created, delivered, log, micros) in rows.decode(
            (UUID, UUID, UUID, String, String, Int, Date?, Int?, String?, Date, Date?, String, Int64).self)
        {
            let entries = (try? JSONSerialization.jsonObject(with: Data(log.utf8))) as? [[Any]] ?? []
            let attemptLog = entries.map { entry in
                DeliveryRecord.Attempt(
                    at: Date(timeIntervalSince1970: (entry[0] as? Double) ?? 0), statusCode: entry[1] as? Int, error: entry[2] as? String,
                    durationMilliseconds: (entry[3] as? Int) ?? 0)
            }
            var record = DeliveryRecord(
                id: id, subscriptionID: subscription, notificationID: notification, kind: kind, status: status, attempts: attemptCount,
                nextAttemptAt: next, lastStatusCode: code, lastError: error, createdAt: created, deliveredAt: delivered, attemptLog: attemptLog)
            record.cursor = DeliveryCursor(micros: micros, id: id)
            deliveries.append(record)
        }
        return deliveries
    }

    public func redeliver(id: UUID, access: AccessContext) async throws -> Bool {
        let (all, actor) = Self.owned(access)
        let rows = try await database.client.query(
            """
            UPDATE deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = NULL
            FROM subscriptions s WHERE d.id = \(id) AND s.id = d.subscription_id AND (\(all) OR s.actor_id = \(actor))
              AND s.deleted_at IS NULL
            RETURNING d.id
            """,
            logger: logger
        )
        return try await rows.collect().count == 1
    }

    public func claimDue(limit: Int, lease: Duration, perSubscription: Int, excluding: [UUID]) async throws -> [ClaimedDelivery] {
        try await database.transaction { connection in
            // Oldest first; within one subscription and case, only the earliest pending notification is due, so a
            // receiver sees a case's notifications in order. The oldest candidates are ranked per subscription
            // (a window cannot stand beside FOR UPDATE, hence the steps); a candidate another sender locks meanwhile is
            // skipped, so a claim may hold fewer than `limit`.
            let rows = try await connection.query(
                """
                WITH candidates AS (
                    SELECT d.id, d.subscription_id, d.next_attempt_at
                    FROM deliveries d JOIN notifications n ON n.id = d.notification_id
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND d.subscription_id <> ALL(\(excluding))
                      -- A paused subscription sends nothing until it is resumed.
                      AND EXISTS (SELECT 1 FROM subscriptions p WHERE p.id = d.subscription_id AND p.active)
                      -- Written to be driven by the case: earlier notifications of the case (notifications_case),
                      -- then their delivery to this subscription (the unique key). Joined the other way round, a
                      -- planner without fresh statistics scanned the whole queue per candidate (O(n²)).
                      AND NOT EXISTS (
                          SELECT 1 FROM notifications m
                          WHERE m.case_id = n.case_id AND m.position < n.position
                            AND EXISTS (SELECT 1 FROM deliveries e
                                        WHERE e.subscription_id = d.subscription_id AND e.notification_id = m.id AND e.status = 'pending'))
                    ORDER BY d.next_attempt_at LIMIT \(limit * 4)),
                ranked AS (
                    SELECT id, row_number() OVER (PARTITION BY subscription_id ORDER BY next_attempt_at) AS rank FROM candidates),
                due AS (
                    SELECT d.id FROM deliveries d JOIN ranked c ON c.id = d.id
                    WHERE c.rank <= \(perSubscription) AND d.status = 'pending' AND d.next_attempt_at <= now()
                    ORDER BY d.next_attempt_at LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED)
                UPDATE deliveries d SET attempts = d.attempts + 1, claim = gen_random_uuid(),
                       next_attempt_at = now() + \(String(lease.components.seconds))::int * interval '1 second'
                FROM due, notifications n, subscriptions s, actors a
                WHERE d.id = due.id AND n.id = d.notification_id AND s.id = d.subscription_id AND a.id = n.actor_id
                RETURNING d.id, d.claim, s.id, s.url, s.secret_sealed, d.attempts, n.kind, n.created_at, n.id, n.case_id, n.handoff_id, a.slug, n.data::text
                """,
                logger: logger
            )
            var claimed: [ClaimedDelivery] = []
            for try await (id, claim, subscriptionID, url, sealed, attempt, kind, createdAt, notification, caseID, handoffID, actor, data) in rows.decode(
                (UUID, UUID, UUID, String, Data, Int, String, Date, UUID, UUID?, UUID?, String, String).self)
            {
                var payload = (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:]
                payload["notification_id"] = notification.lowercasedString
                payload["actor"] = actor
                payload["case_id"] = caseID?.lowercasedString
                payload["handoff_id"] = handoffID?.lowercasedString
                claimed.append(
                    ClaimedDelivery(
                        id: id, claim: claim, subscriptionID: subscriptionID, url: url, secret: String(decoding: try sealer.open(sealed), as: UTF8.self), attempt: attempt, kind: kind,
                        createdAt: createdAt, payload: payload))
            }
            return claimed
        }
    }

    public func recordAttempt(
        id: UUID, claim: UUID, statusCode: Int?, error: String?, duration: Duration, delivered: Bool, retryAfter: Duration?
    ) async throws {
        let milliseconds = Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        let retrySeconds = retryAfter.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        let status = delivered ? "delivered" : (retryAfter == nil ? "failed" : "pending")
        try await database.transaction { connection in
            try await connection.query(
                """
                UPDATE deliveries SET status = \(status), last_status_code = \(statusCode), last_error = \(error),
                       delivered_at = CASE WHEN \(delivered) THEN now() END,
                       next_attempt_at = CASE WHEN \(retrySeconds)::float8 IS NULL THEN next_attempt_at
                                              ELSE now() + \(retrySeconds)::float8 * interval '1 second' END
                WHERE id = \(id) AND status <> 'delivered' AND (claim = \(claim) OR \(delivered))
                """,
                logger: logger
            )
            try await connection.query(
                "INSERT INTO delivery_attempts (delivery_id, status_code, error, duration_ms) VALUES (\(id), \(statusCode), \(error), \(milliseconds))",
                logger: logger)
        }
    }

    public func backlog() async throws -> (pending: Int, oldestAge: Double) {
        let rows = try await database.client.query(
            "SELECT count(*)::int, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM deliveries WHERE status = 'pending'",
            logger: logger)
        for try await row in rows.decode((Int, Double).self) { return row }
        return (0, 0)
    }
}
