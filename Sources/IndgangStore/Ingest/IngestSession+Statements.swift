import Foundation
import IndgangCore
import PostgresNIO

extension IngestSession {
    /// One index probe per posted event and per citizen. `OFFSET 0` keeps each LATERAL subquery a subquery: pulled
    /// up into a plain join, the planner hashed the whole citizens table (a parallel sequential scan of 44,000
    /// rows, 26 ms of every 250-event chunk; auto_explain, 2026-12-04) instead of probing its unique index 250 times.
    /// The nil UUID is written out, as the idempotency index's expression has it: as a parameter, the statement's generic
    /// plan (the one a prepared statement settles on after five runs) could not use the index, and probed by sequential
    /// scans — 790 µs per event instead of 107 (2026-12-05).
    struct LookUpKnown: PreparedQuery {
        typealias Row = (String, UUID?, String?, String?, Data?, Data?, String?, UUID?)
        static let name = "indgang_look_up_known"
        static let sql = LookUpKnown([]).query.sql
        let query: PostgresQuery

        init(_ items: [Pending]) {
            query = """
            SELECT 'event', k.actor, e.source, e.external_id, NULL::bytea, e.body_digest, e.result::text, NULL::uuid
            FROM unnest(\(items.map { IngestSession.postingActor($0) })::uuid[], \(items.map(\.event.source))::text[], \(items.map(\.event.externalID))::text[])
                 AS k(actor, source, external_id)
            JOIN LATERAL (SELECT * FROM events e WHERE coalesce(e.posting_actor_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.actor AND e.source = k.source
                                                   AND e.external_id = k.external_id OFFSET 0) e ON true
            UNION ALL
            SELECT 'citizen', NULL, NULL, NULL, c.cpr_index, NULL, NULL, c.id
            FROM unnest(\(items.map { ByteBuffer(bytes: $0.index) })::bytea[]) AS k(idx)
            JOIN LATERAL (SELECT * FROM citizens c WHERE c.cpr_index = k.idx OFFSET 0) c ON true
            """
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
