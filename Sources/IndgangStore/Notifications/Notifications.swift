import Foundation
import IndgangCore
import PostgresNIO

/// Writes notifications on the caller's connection: they commit with the change they announce (the
/// transactional outbox). Payloads carry ids and kinds, never CPR numbers or free text.
enum Notifications {
    static func send(
        _ kind: NotificationKind, to actors: [UUID?], caseID: UUID?, handoffID: UUID? = nil, data: [String: String] = [:],
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let recipients = distinctRecipients(actors)
        guard !recipients.isEmpty else { return }
        let json = String(decoding: try JSONEncoder.sorted.encode(data), as: UTF8.self)
        let ids = recipients.map { _ in UUID.v7() }
        try await connection.query(
            """
            INSERT INTO notifications (id, actor_id, kind, case_id, handoff_id, data)
            SELECT n.id, n.actor_id, \(kind.rawValue), \(caseID), \(handoffID), \(json)::jsonb
            FROM unnest(\(ids)::uuid[], \(recipients)::uuid[]) WITH ORDINALITY AS n(id, actor_id, ordinal) ORDER BY n.ordinal
            """,
            logger: logger
        )
    }

    /// Each actor once, in first-mention order, without the absent ones (an optional handoff receiver, say).
    static func distinctRecipients(_ actors: [UUID?]) -> [UUID] {
        var seen = Set<UUID>()
        return actors.compactMap { $0 }.filter { seen.insert($0).inserted }
    }
}
