import Foundation
import HTTPTypes
import IndgangCore
import IndgangStore
import Logging
import PostgresNIO
import Testing

@Suite("Deadlines and escalation")
struct DeadlineSweeperTests {
    @Test("a pending handoff past due becomes overdue within two sweeper intervals, once, and stays actionable")
    func overdueBySweeper() async throws {
        let interval = 0.5
        try await TestAPI.run(configure: { $0.schedulerInterval = .milliseconds(Int64(interval * 1000)) }) { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let soon = RFC3339Test.format(Date().addingTimeInterval(0.3))
            let created = try await api.call(
                .post, "/v1/cases/\(caseID)/handoffs", key: keys.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r", "due_at": "\#(soon)"}"#)
            let handoffID = try #require(created["id"])
            let start = ContinuousClock.now
            var status: String?
            while ContinuousClock.now - start < .seconds(2 * interval + 5) {
                status = try await TestSQL.scalar(api, "SELECT status FROM handoffs")
                if status == "overdue" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status == "overdue")
            try await Task.sleep(for: .seconds(2 * interval))  // more sweeps: still exactly one entry each
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'handoff_overdue'") == "1")
            let notified = try await api.sql(
                "SELECT string_agg(a.slug, ',' ORDER BY a.slug) FROM notifications n JOIN actors a ON a.id = n.actor_id WHERE n.kind = 'handoff.overdue'")
            #expect(notified.first?.first == "kobenhavn,nsh")
            #expect(try await api.call(.get, "/v1/handoffs?status=overdue&direction=incoming", key: keys.kommune).items.count == 1)
            let accepted = try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.kommune)
            #expect(accepted["status"] == "accepted")
        }
    }

    @Test("two sweepers racing on one database mark and escalate each overdue handoff exactly once")
    func concurrentSweepers() async throws {
        try await TestAPI.run(configure: { $0.schedulerInterval = .seconds(3600) }) { api in
            let keys = try await EventsTests.setUp(api)
            try await api.createActor("koordinator", kind: "other", code: nil)
            _ = keys
            // 30 citizens discharged two days ago: their handoffs were due yesterday.
            let discharged = RFC3339Test.format(Date().addingTimeInterval(-2 * 86_400))
            let admitted = RFC3339Test.format(Date().addingTimeInterval(-3 * 86_400))
            for index in 0..<30 {
                let cpr = String(format: "0101%02d-1234", 30 + index)
                _ = try await api.postEvent(key: keys.integration, id: "m\(index)", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "219"}"#)
                _ = try await api.postEvent(
                    key: keys.integration, id: "a\(index)", type: "hospital.admitted", at: admitted, cpr: cpr,
                    attributes: #"{"episode_id": "1", "admission": "acute", "actor": "nsh"}"#)
                let response = try await api.postEvent(
                    key: keys.integration, id: "d\(index)", type: "hospital.discharged", at: discharged, cpr: cpr,
                    attributes: #"{"episode_id": "1", "discharged_to": "home", "actor": "nsh"}"#)
                #expect(response.status == .created, "\(response.text)")
            }
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs WHERE status = 'pending'") == "30")

            let marked = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await Self.withRepository(databaseURL: api.databaseURL, escalation: ["subacute-elderly": "koordinator"]) { repository in
                            var total = 0
                            while true {
                                let count = try await repository.markOverdue(limit: 4)
                                total += count
                                if count == 0 { break }
                            }
                            return total
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(marked == 30)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs WHERE status = 'overdue'") == "30")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'handoff_overdue'") == "30")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'escalated'") == "30")
            // Each entry is about its own case's handoff (the sweep writes them together, set-based).
            #expect(try await TestSQL.scalar(api, """
                SELECT count(*)::text FROM case_timeline t JOIN handoffs h ON h.id::text = t.data->>'handoff_id' AND h.case_id = t.case_id
                WHERE t.kind IN ('handoff_overdue', 'escalated') AND (t.kind = 'escalated' OR t.data->>'due_at' IS NOT NULL)
                """) == "60")
            #expect(try await TestSQL.scalar(api, """
                SELECT count(DISTINCT n.handoff_id)::text FROM notifications n JOIN handoffs h ON h.id = n.handoff_id AND h.case_id = n.case_id
                WHERE n.kind = 'handoff.overdue'
                """) == "30")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM notifications WHERE kind = 'handoff.overdue'") == "90")
            #expect(
                try await TestSQL.scalar(
                    api, "SELECT count(*)::text FROM notifications n JOIN actors a ON a.id = n.actor_id WHERE n.kind = 'handoff.overdue' AND a.slug = 'koordinator'")
                    == "30")
        }
    }

    /// A handoff repository on its own connection pool, as a second replica would have.
    static func withRepository<T: Sendable>(
        databaseURL: String, escalation: [String: String], _ body: @Sendable (PostgresHandoffRepository) async throws -> T
    ) async throws -> T {
        try await TestSQL.withClient(databaseURL: databaseURL) { client in
            try await body(PostgresHandoffRepository(database: Database(client: client, logger: TestCluster.logger), escalationActors: EscalationActors(byPathway: escalation)))
        }
    }
}

/// RFC 3339 for test bodies (the product's formatter lives in IndgangCore).
enum RFC3339Test {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
