import Foundation
import IndgangCore
import Logging
import PostgresNIO

public struct PostgresNotificationRepository: NotificationRepository {
    let database: Database
    let audits: AuditCommitter

    public init(database: Database, audits: AuditCommitter? = nil) {
        self.database = database
        self.audits = audits ?? AuditCommitter(database: database)
    }

    private var logger: Logger { database.logger }

    static let select = "SELECT id, position, kind, case_id, handoff_id, created_at, read_at, data::text FROM notifications"

    public func inbox(unreadOnly: Bool, cursor: Int64?, limit: Int, access: AccessContext) async throws -> Page<NotificationRecord> {
        let actorID = try access.requireActor()
        let rows = try await database.client.query(
            """
            \(unescaped: Self.select)
            WHERE actor_id = \(actorID) AND (NOT \(unreadOnly) OR read_at IS NULL) AND (\(cursor)::bigint IS NULL OR position < \(cursor))
            ORDER BY position DESC LIMIT \(limit + 1)
            """,
            logger: logger
        )
        let page = Page(fetched: try await Self.decode(rows), limit: limit) { String($0.position) }
        // Notifications name cases: reading them is recorded like reading a case list.
        try await audits.record(.notificationList, cases: Array(Set(page.items.compactMap(\.caseID))), access: access)
        return page
    }

    public func unreadCount(limit: Int, access: AccessContext) async throws -> Int {
        let actorID = try access.requireActor()
        let rows = try await database.client.query(
            """
            SELECT count(*)::int FROM (SELECT 1 FROM notifications WHERE actor_id = \(actorID) AND read_at IS NULL LIMIT \(limit)) AS unread
            """,
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    public func markRead(id: UUID, access: AccessContext) async throws -> NotificationRecord {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            let rows = try await connection.query(
                """
                UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = \(id) AND actor_id = \(actorID)
                RETURNING id, position, kind, case_id, handoff_id, created_at, read_at, data::text
                """,
                logger: logger
            )
            guard let record = try await Self.decode(rows).first else { throw IndgangError.notFound("no such notification") }
            if let caseID = record.caseID {
                try await AuditLog.recordCases(.notificationRead, caseIDs: [caseID], access: access, on: connection, logger: logger)
            }
            return record
        }
    }

    public func streamStart() async throws -> StreamPosition {
        let rows = try await database.client.query("SELECT notification_stream_horizon()::text", logger: logger)
        for try await text in rows.decode(String.self) {
            // Everything from a transaction before the horizon has committed (or never will): start just below it.
            return StreamPosition(transaction: (UInt64(text) ?? 1) - 1, position: Int64.max)
        }
        return StreamPosition(transaction: 0, position: 0)
    }

    public func stream(after start: StreamPosition, limit: Int, access: AccessContext) async throws -> [(NotificationRecord, StreamPosition)] {
        let actorID = try access.requireActor()
        return try await database.transaction { connection in
            // Ordered by the xid8 column itself: an output column named `xid` (text) would sort as text.
            let rows = try await connection.query(
                """
                SELECT id, position, kind, case_id, handoff_id, created_at, read_at, data::text, xid::text AS xid_text FROM notifications
                WHERE actor_id = \(actorID) AND (xid, position) > (\(String(start.transaction))::xid8, \(start.position))
                  AND xid < (SELECT notification_stream_horizon())
                ORDER BY notifications.xid, notifications.position LIMIT \(limit)
                """,
                logger: logger
            )
            var delivered: [(NotificationRecord, StreamPosition)] = []
            for try await (id, position, kind, caseID, handoffID, createdAt, readAt, data, xid) in rows.decode(
                (UUID, Int64, String, UUID?, UUID?, Date, Date?, String, String).self)
            {
                let record = NotificationRecord(
                    id: id, position: position, kind: kind, caseID: caseID, handoffID: handoffID, createdAt: createdAt, readAt: readAt, data: data)
                delivered.append((record, StreamPosition(transaction: UInt64(xid) ?? 0, position: position)))
            }
            return delivered
        }
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [NotificationRecord] {
        var records: [NotificationRecord] = []
        for try await (id, position, kind, caseID, handoffID, createdAt, readAt, data) in rows.decode(
            (UUID, Int64, String, UUID?, UUID?, Date, Date?, String).self)
        {
            records.append(
                NotificationRecord(
                    id: id, position: position, kind: kind, caseID: caseID, handoffID: handoffID, createdAt: createdAt, readAt: readAt, data: data))
        }
        return records
    }
}
