import Foundation
import HTTPTypes
import Testing

@Suite("Concurrent commands on one case")
struct ConcurrencyTests {
    /// Many caseworkers of four actors request, accept, reject and cancel handoffs on one case at once.
    /// Afterwards the database must still hold: one responsible actor, at most one open handoff, and a
    /// responsibility history that is exactly the chain of accepted handoffs.
    @Test("≥ 20 concurrent handoff commands keep every invariant", arguments: [1, 2, 3])
    func storm(round _: Int) async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            try await api.createActor("esbjerg", code: "561")
            let esbjerg = try await api.issueKey("esbjerg")
            let actors: [(slug: String, key: String)] = [
                ("kobenhavn", keys.kommune), ("nsh", keys.hospital), ("kriminalforsorgen", keys.prison), ("esbjerg", esbjerg),
            ]
            let caseID = try await api.openCase(key: keys.hospital)
            var statuses: [Int] = []
            for _ in 0..<5 {
                // Aim each wave at the current state: the responsible actor requests, the receiver accepts or
                // rejects, the sender cancels, and outsiders try everything; all at once.
                let state = try await api.sql(
                    """
                    SELECT a.slug, h.id::text, fa.slug, ta.slug FROM cases c JOIN actors a ON a.id = c.responsible_actor_id
                    LEFT JOIN handoffs h ON h.case_id = c.id AND h.status = 'pending'
                    LEFT JOIN actors fa ON fa.id = h.from_actor_id LEFT JOIN actors ta ON ta.id = h.to_actor_id
                    """)
                let responsible = state[0][0]!
                let keyBySlug = Dictionary(uniqueKeysWithValues: actors.map { ($0.slug, $0.key) })
                let responsibleKey = keyBySlug[responsible]!
                let senderKey = state[0][2].flatMap { keyBySlug[$0] } ?? esbjerg
                let receiverKey = state[0][3].flatMap { keyBySlug[$0] } ?? esbjerg
                let others = actors.map(\.slug).filter { $0 != responsible }
                let handoff = state[0][1]
                statuses += try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<24 {
                        group.addTask {
                            switch index % 6 {
                            case 0, 1:
                                return try await api.call(
                                    .post, "/v1/cases/\(caseID)/handoffs", key: responsibleKey,
                                    json: #"{"to_actor": "\#(others.randomElement()!)", "reason": "storm"}"#
                                ).status.code
                            case 2:
                                guard let handoff else { return 404 }
                                return try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: receiverKey).status.code
                            case 3:
                                guard let handoff else { return 404 }
                                return try await api.call(.post, "/v1/handoffs/\(handoff)/cancel", key: senderKey).status.code
                            case 4:
                                guard let handoff else { return 404 }
                                return try await api.call(.post, "/v1/handoffs/\(handoff)/reject", key: receiverKey, json: #"{"reason": "busy"}"#)
                                    .status.code
                            default:
                                guard let handoff else { return 404 }
                                let anyone = actors[index % actors.count].key
                                return try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: anyone).status.code
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
            }
            #expect(statuses.count >= 20)
            #expect(statuses.allSatisfy { [200, 201, 403, 404, 409, 422].contains($0) }, "\(statuses)")
            #expect(statuses.contains(201) && statuses.contains(200) && statuses.contains(409), "\(statuses)")

            let open = try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs WHERE status IN ('pending', 'overdue')")
            #expect(open == "0" || open == "1")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_responsibility WHERE ended_at IS NULL") == "1")
            // The current responsible actor is the receiver of the last accepted handoff (or the opener).
            let chain = try await api.sql(
                """
                SELECT (SELECT count(*) FROM handoffs WHERE status = 'accepted')::text,
                       (SELECT count(*) - 1 FROM case_responsibility)::text,
                       (SELECT CASE WHEN c.responsible_actor_id = coalesce(
                            (SELECT to_actor_id FROM handoffs WHERE status = 'accepted' ORDER BY decided_at DESC, id DESC LIMIT 1),
                            (SELECT actor_id FROM case_responsibility ORDER BY id LIMIT 1)) THEN 'ok' ELSE 'broken' END FROM cases c)
                """)
            #expect(chain.first?[0] == chain.first?[1])
            #expect(chain.first?[2] == "ok")
            // Every accepted handoff started from the actor that was responsible when it was requested.
            let broken = try await TestSQL.scalar(
                api,
                """
                SELECT count(*)::text FROM handoffs h WHERE h.status = 'accepted' AND NOT EXISTS (
                    SELECT 1 FROM case_responsibility r WHERE r.actor_id = h.from_actor_id AND r.ended_at = h.decided_at)
                """)
            #expect(broken == "0")
        }
    }
}
