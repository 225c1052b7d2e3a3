import Foundation
import HTTPTypes
import IndgangCore
import IndgangStore
import Testing

@Suite("Notifications inbox")
struct NotificationsTests {
    @Test("state changes land in the right actor's inbox, with ids and kinds only; read and unread work")
    func inbox() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.kommune).status == .ok)

            let kommune = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            #expect(kommune.status == .ok)
            #expect(kommune.items.compactMap { $0["kind"] as? String } == ["handoff.requested"])
            let item = try #require(kommune.items.first)
            #expect(item["case_id"] as? String == caseID)
            #expect(item["handoff_id"] as? String == handoffID)
            #expect(item["read_at"] == nil)
            #expect(!kommune.text.contains("010150"))
            let hospital = try await api.call(.get, "/v1/notifications", key: keys.hospital)
            #expect(hospital.items.compactMap { $0["kind"] as? String } == ["handoff.accepted"])
            #expect(try await api.call(.get, "/v1/notifications", key: keys.prison).items.isEmpty)

            let id = try #require(item["id"] as? String)
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.prison).status == .notFound)
            let read = try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.kommune)
            #expect(read.status == .ok)
            let readAt = try #require(read["read_at"])
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.kommune)["read_at"] == readAt)
            #expect(try await api.call(.get, "/v1/notifications?unread=true", key: keys.kommune).items.isEmpty)
            #expect(try await api.call(.get, "/v1/notifications?unread=false", key: keys.kommune).items.count == 1)
            #expect(try await api.call(.get, "/v1/notifications?unread=yes", key: keys.kommune).fieldErrors == ["unread"])
            #expect(try await api.call(.post, "/v1/notifications/01936f3e-0000-7000-8000-000000000000/read", key: keys.kommune).status == .notFound)
        }
    }

    @Test("the inbox is cursor-paged, newest first")
    func paging() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            for index in 1...5 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: "01015\(index)-1234")
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/v1/notifications?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), key: keys.kommune)
                seen += page.items.compactMap { $0["case_id"] as? String }
                cursor = page["next_cursor"]
            } while cursor != nil
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            let positions = try await api.sql("SELECT case_id::text FROM notifications ORDER BY position DESC").compactMap { $0[0] }
            #expect(seen == positions)
        }
    }
}

@Suite("Notification stream order")
struct NotificationStreamOrderTests {
    /// Transaction ids cross a power of ten between two notifications: the stream must still order them by
    /// number (sorting the text form would put 1000 before 999 — and redeliver on the next read).
    @Test("stream positions order numerically across a power of ten")
    func numericOrder() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let first = try await api.openCase(key: keys.hospital, cpr: "010150-1111")
            _ = try await api.requestHandoff(caseID: first, key: keys.hospital, to: "kobenhavn")
            // Burn transaction ids (one subtransaction each) until the next id has one more digit.
            let current = try #require(try await TestSQL.scalar(api, "SELECT pg_current_xact_id()::text"))
            let target = Int(pow(10.0, Double(current.count)))
            _ = try await api.sql(
                """
                DO $$ DECLARE i int; BEGIN
                  CREATE TEMP TABLE burn (x int);
                  FOR i IN 1..(\(target) - pg_current_xact_id()::text::bigint + 5) LOOP
                    BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END;
                  END LOOP;
                END $$
                """)
            let second = try await api.openCase(key: keys.hospital, cpr: "010150-2222")
            _ = try await api.requestHandoff(caseID: second, key: keys.hospital, to: "kobenhavn")
            let xids = try await api.sql("SELECT xid::text FROM notifications ORDER BY position").compactMap { $0[0] }
            #expect(xids.count == 2 && xids[0].count < xids[1].count, "\(xids)")

            try await TestSQL.withClient(databaseURL: api.databaseURL) { client in
                let repository = PostgresNotificationRepository(database: Database(client: client, logger: TestCluster.logger))
                let kommune = try await TestSQL.scalar(api, "SELECT id::text FROM actors WHERE slug = 'kobenhavn'")
                let access = AccessContext(principal: Principal(keyID: nil, actorID: UUID(uuidString: kommune ?? ""), actorSlug: "kobenhavn", role: .caseworker))
                // Other tests' transactions on the same cluster can hold the horizon back for a moment: read on
                // until both have come, as the live stream does.
                var delivered: [(NotificationRecord, StreamPosition)] = []
                var position = StreamPosition(transaction: 0, position: 0)
                let deadline = ContinuousClock.now + .seconds(20)
                while delivered.count < 2 && ContinuousClock.now < deadline {
                    let batch = try await repository.stream(after: position, limit: 10, access: access)
                    delivered += batch
                    position = batch.last?.1 ?? position
                    if batch.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(delivered.map(\.0.caseID) == [UUID(uuidString: first), UUID(uuidString: second)])
                #expect(try await repository.stream(after: position, limit: 10, access: access).isEmpty)
            }
        }
    }

    /// The horizon once was the cluster's xmin: a transaction left open in another database of the same cluster
    /// held every live stream back until it ended (it made the live stream test flaky in CI, where other tests'
    /// transactions run beside it).
    @Test("a transaction left open in another database of the cluster holds no stream back; one in this database does")
    func otherDatabasesHoldNothingBack() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let kommune = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM actors WHERE slug = 'kobenhavn'"))
            let access = AccessContext(principal: Principal(keyID: nil, actorID: UUID(uuidString: kommune), actorSlug: "kobenhavn", role: .caseworker))
            let elsewhere = try await TestCluster.shared.emptyDatabase()
            try await TestSQL.withClient(databaseURL: elsewhere) { other in
                try await other.withConnection { held in
                    _ = try await held.query("BEGIN", logger: TestCluster.logger)
                    _ = try await held.query("SELECT pg_current_xact_id()", logger: TestCluster.logger)
                    try await TestSQL.withClient(databaseURL: api.databaseURL) { client in
                        let repository = PostgresNotificationRepository(database: Database(client: client, logger: TestCluster.logger))
                        let start = try await repository.streamStart()
                        let caseID = try await api.openCase(key: keys.hospital)
                        _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
                        var delivered: [(NotificationRecord, StreamPosition)] = []
                        let deadline = ContinuousClock.now + .seconds(20)
                        while delivered.isEmpty && ContinuousClock.now < deadline {
                            delivered = try await repository.stream(after: start, limit: 10, access: access)
                            if delivered.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                        }
                        #expect(delivered.map(\.0.caseID) == [UUID(uuidString: caseID)], "delivered while the other database's transaction is open")

                        // A transaction of this database that is still open does hold the horizon: it could still commit rows.
                        try await client.withConnection { mine in
                            _ = try await mine.query("BEGIN", logger: TestCluster.logger)
                            _ = try await mine.query("SELECT pg_current_xact_id()", logger: TestCluster.logger)
                            let after = try #require(delivered.last?.1)
                            let second = try await api.openCase(key: keys.hospital, cpr: "020250-1234")
                            _ = try await api.requestHandoff(caseID: second, key: keys.hospital, to: "kobenhavn")
                            #expect(try await repository.stream(after: after, limit: 10, access: access).isEmpty)
                            _ = try await mine.query("COMMIT", logger: TestCluster.logger)
                            #expect(try await repository.stream(after: after, limit: 10, access: access).map(\.0.caseID) == [UUID(uuidString: second)])
                        }
                    }
                    _ = try await held.query("COMMIT", logger: TestCluster.logger)
                }
            }
        }
    }
}
