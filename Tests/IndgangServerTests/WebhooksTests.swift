import Crypto
import Foundation
import HTTPTypes
@testable import IndgangServer
import IndgangStore
import Testing

@Suite("Signed webhooks", .serialized)
struct WebhooksTests {
    static func configure(_ config: inout AppConfiguration) {
        config.webhookAllowPrivate = true
        config.webhookBackoff = [.milliseconds(200), .milliseconds(200), .milliseconds(200)]
    }

    /// Waits (bounded) until `condition` holds.
    static func eventually(_ seconds: Double = 15, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("deliveries made by one transaction share their creation time, and paging through them skips none")
    func deliveryPaging() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        try await TestAPI.run(configure: Self.configure) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            receiver.answer("sink", with: [.noContent])
            let created = try await api.call(
                .post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(receiver.url("sink"))", "kinds": ["handoff.requested"]}"#)
            let subscription = try #require(created["id"])
            _ = try await api.openCase(key: keys.hospital)
            _ = try await api.sql(
                """
                INSERT INTO notifications (id, actor_id, kind, case_id, data)
                SELECT gen_random_uuid(), a.id, 'handoff.requested', c.id, '{}'::jsonb
                FROM actors a CROSS JOIN (SELECT id FROM cases LIMIT 1) c CROSS JOIN generate_series(1, 11) WHERE a.slug = 'kobenhavn'
                """)
            #expect(try await TestSQL.scalar(api, "SELECT count(DISTINCT created_at)::text FROM deliveries") == "1")
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(
                    .get, "/v1/subscriptions/\(subscription)/deliveries?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), key: integration)
                #expect(page.status == .ok, "\(page.text)")
                seen += page.items.compactMap { $0["id"] as? String }
                cursor = page["next_cursor"]
            } while cursor != nil && seen.count < 50
            #expect(seen.count == 11 && Set(seen).count == 11, "\(seen)")
            #expect(try await api.call(.get, "/v1/subscriptions/\(subscription)/deliveries?cursor=nonsense", key: integration).status == .unprocessableContent)
        }
    }

    @Test("deliveries are signed per Standard Webhooks, retried with a stable id, dead-lettered, and redeliverable")
    func deliveryLifecycle() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        try await TestAPI.run(configure: Self.configure) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            receiver.answer("flaky", with: [.internalServerError, .serviceUnavailable, .noContent])
            let created = try await api.call(
                .post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(receiver.url("flaky"))", "kinds": ["handoff.requested"]}"#)
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created["secret"])
            #expect(secret.hasPrefix("whsec_"))
            #expect(created["actor"] == "kobenhavn")
            let subscription = try #require(created["id"])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM subscriptions WHERE position('whsec_' IN encode(secret_sealed, 'escape')) > 0") == "0")

            let caseID = try await api.openCase(key: keys.hospital)
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            #expect(try await Self.eventually { receiver.requests(to: "flaky").count >= 3 })
            let attempts = receiver.requests(to: "flaky")
            let ids = Set(attempts.compactMap { $0.headers[HTTPField.Name("webhook-id")!] })
            #expect(ids.count == 1)
            // Verify the signature independently: HMAC-SHA256 over id.timestamp.body with the decoded secret.
            for attempt in attempts {
                let id = try #require(attempt.headers[HTTPField.Name("webhook-id")!])
                let timestamp = try #require(attempt.headers[HTTPField.Name("webhook-timestamp")!])
                let signature = try #require(attempt.headers[HTTPField.Name("webhook-signature")!])
                let key = SymmetricKey(data: try #require(Data(base64Encoded: String(secret.dropFirst("whsec_".count)))))
                let expected = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + attempt.body, using: key)
                #expect(signature == "v1," + Data(expected).base64EncodedString())
                #expect(abs((Double(timestamp) ?? 0) - Date().timeIntervalSince1970) < 60)
            }
            let payload = try #require(try JSONSerialization.jsonObject(with: attempts[0].body) as? [String: Any])
            #expect(payload["type"] as? String == "handoff.requested")
            let data = try #require(payload["data"] as? [String: Any])
            #expect(data["case_id"] as? String == caseID)
            #expect(data["handoff_id"] as? String == handoffID)
            #expect(!String(decoding: attempts[0].body, as: UTF8.self).contains("010150"))

            #expect(try await Self.eventually {
                try await api.call(.get, "/v1/subscriptions/\(subscription)/deliveries", key: integration).items.first?["status"] as? String == "delivered"
            })
            let delivery = try #require(try await api.call(.get, "/v1/subscriptions/\(subscription)/deliveries", key: integration).items.first)
            #expect(delivery["attempts"] as? Int == 3)
            #expect((delivery["attempt_log"] as? [[String: Any]])?.compactMap { $0["status_code"] as? Int } == [500, 503, 204])
            #expect(delivery["id"] as? String == ids.first)

            // A receiver that keeps failing: after the last back-off step the delivery is failed (dead letter).
            receiver.answer("down", with: [.badGateway])
            let second = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(receiver.url("down"))", "kinds": ["handoff.requested", "case.closed"]}"#)
            let downSubscription = try #require(second["id"])
            let otherCase = try await api.openCase(key: keys.hospital, cpr: "020250-1234")
            _ = try await api.requestHandoff(caseID: otherCase, key: keys.hospital, to: "kobenhavn")
            #expect(try await Self.eventually {
                try await api.call(.get, "/v1/subscriptions/\(downSubscription)/deliveries?status=failed", key: integration).items.count == 1
            })
            #expect(receiver.requests(to: "down").count == 4)  // the first attempt and three retries
            let failed = try #require(try await api.call(.get, "/v1/subscriptions/\(downSubscription)/deliveries?status=failed", key: integration).items.first)
            let failedID = try #require(failed["id"] as? String)
            receiver.answer("down", with: [.ok])
            #expect(try await api.call(.post, "/v1/deliveries/\(failedID)/redeliver", key: integration).status == .accepted)
            #expect(try await Self.eventually { receiver.requests(to: "down").count == 5 })
            #expect(receiver.requests(to: "down").last?.headers[HTTPField.Name("webhook-id")!] == failedID)
            #expect(try await Self.eventually {
                try await api.call(.get, "/v1/subscriptions/\(downSubscription)/deliveries?status=delivered", key: integration).items.count == 1
            })

            // Others' subscriptions and deliveries are invisible; caseworkers may not subscribe.
            let stranger = try await api.issueKey("nsh", role: "integration")
            #expect(try await api.call(.get, "/v1/subscriptions/\(subscription)/deliveries", key: stranger).status == .notFound)
            #expect(try await api.call(.post, "/v1/deliveries/\(failedID)/redeliver", key: stranger).status == .notFound)
            #expect(try await api.call(.post, "/v1/subscriptions", key: keys.kommune, json: "{}").status == .forbidden)
            #expect(
                try await api.call(.post, "/v1/subscriptions", key: stranger, json: #"{"url": "\#(receiver.url("x"))", "kinds": ["case.closed"], "actor": "kobenhavn"}"#)
                    .status == .forbidden)
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains("indgang_webhook_deliveries_total"))
            #expect(metrics.text.contains("indgang_webhook_pending_deliveries"))
        }
    }

    @Test("a subscriber that is down does not hold up the others")
    func downSubscriberDoesNotSlowOthers() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        try await TestAPI.run(configure: Self.configure) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            let closedPort = ChildProcess.freePort()  // nothing listens there: connections are refused
            _ = try await api.call(
                .post, "/v1/subscriptions", key: integration, json: #"{"url": "http://127.0.0.1:\#(closedPort)/hook", "kinds": ["handoff.requested"]}"#)
            _ = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(receiver.url("up"))", "kinds": ["handoff.requested"]}"#)
            let start = ContinuousClock.now
            for index in 1...12 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: String(format: "%02d0150-1234", index))
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            }
            #expect(try await Self.eventually(10) { receiver.requests(to: "up").count == 12 })
            #expect(ContinuousClock.now - start < .seconds(10))
            // The down subscriber was being tried all along.
            #expect(try await Self.eventually(10) { try await TestSQL.scalar(api, "SELECT count(*)::text FROM delivery_attempts WHERE status_code IS NULL") != "0" })
        }
    }

    @Test("SSRF guard: loopback, private and link-local targets, other schemes and credentials are refused")
    func ssrfGuard() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            for url in [
                "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.0.10/hook", "http://172.20.0.1/hook",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://[fd00::1]/hook", "ftp://example.org/hook",
                "http://user:secret@example.org/hook", "not a url",
                // Values that must fail here, not in PostgreSQL: a NUL, and 2,000 characters that are more code points.
                "http://exa\\u0000mple.org/hook", "https://example.org/" + String(repeating: "🇩🇰", count: 1000),
            ] {
                let response = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(url)", "kinds": ["case.closed"]}"#)
                #expect(response.status == .unprocessableContent, "\(url): \(response.text)")
                #expect(response.fieldErrors == ["url"], "\(url)")
            }
            let badKinds = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "http://8.8.8.8/hook", "kinds": ["case.exploded"]}"#)
            #expect(badKinds.fieldErrors == ["kinds"])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM subscriptions") == "0")
        }
    }

    /// Answers every name with one public (documentation) address, as a rebinding name does to the check.
    struct PublicAnswer: HostResolver {
        func addresses(of host: String) async throws -> [[UInt8]] { [[203, 0, 113, 7]] }
    }

    /// Answers one public and one loopback address, as a name that tries to slip a private target past the check.
    struct MixedAnswer: HostResolver {
        func addresses(of host: String) async throws -> [[UInt8]] { [[203, 0, 113, 7], [127, 0, 0, 1]] }
    }

    @Test("a name with any private address among its answers is refused, and a host the HTTP client would read differently too")
    func mixedAnswersAreRefused() async throws {
        try await TestAPI.run(configure: { $0.hostResolver = MixedAnswer() }) { api in
            try await api.createActor("kobenhavn")
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            for url in ["https://hooks.example.org/in", "https://ex%61mple.org/in"] {
                let refused = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(url)", "kinds": ["case.closed"]}"#)
                #expect(refused.status == .unprocessableContent && refused.fieldErrors == ["url"], "\(url): \(refused.text)")
            }
        }
    }

    @Test("an attempt connects to the address the guard checked, not to what the name resolves to at connect time (DNS rebinding)")
    func rebindingIsNotFollowed() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        try await TestAPI.run(configure: {
            $0.hostResolver = PublicAnswer()
            $0.webhookBackoff = [.seconds(3600)]
        }) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            // `localhost` reaches the receiver if anything resolves it again; the guard saw 203.0.113.7.
            let url = receiver.url("hook").replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let created = try await api.call(.post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(url)", "kinds": ["handoff.requested"]}"#)
            #expect(created.status == .created, "\(created.text)")
            let caseID = try await api.openCase(key: keys.hospital)
            _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            #expect(try await Self.eventually(30) { try await TestSQL.scalar(api, "SELECT count(*)::text FROM delivery_attempts") == "1" })
            #expect(receiver.requests(to: "hook").isEmpty)
            #expect(try await TestSQL.scalar(api, "SELECT (last_status_code IS NULL AND last_error IS NOT NULL)::text FROM deliveries") == "true")
        }
    }

    @Test("a late attempt's result does not overwrite a newer attempt's (fenced on the attempt); a late success still counts")
    func attemptsAreFenced() async throws {
        try await TestAPI.run(configure: Self.configure) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            let created = try await api.call(
                .post, "/v1/subscriptions", key: integration, json: #"{"url": "http://127.0.0.1:9/hook", "kinds": ["handoff.requested"]}"#)
            let subscription = try #require(created["id"])
            // Paused, so this server's own sender leaves the deliveries to the test.
            _ = try await api.call(.patch, "/v1/subscriptions/\(subscription)", key: integration, json: #"{"active": false}"#)
            for index in 1...2 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: String(format: "%02d0150-1234", index))
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            }
            // Two deliveries, each claimed twice: the first claim's lease ran out and another sender claimed it again
            // (or it was redelivered). A paused subscription gets no deliveries, and an active one would be served by
            // this server's sender, so the test makes them.
            let (stale, current) = (UUID(), UUID())
            _ = try await api.sql(
                "INSERT INTO deliveries (subscription_id, notification_id, attempts, claim) SELECT '\(subscription)', id, 1, '\(current)' FROM notifications WHERE kind = 'handoff.requested'")
            let ids = try await api.sql("SELECT id::text FROM deliveries ORDER BY created_at, id").compactMap { $0.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)) }
            try #require(ids.count == 2)
            try await TestSQL.withDatabase(api.databaseURL) { database in
                let repository = PostgresSubscriptionRepository(database: database, dataKey: .init(data: Data((0..<32).map { UInt8($0) })))
                // The newer attempt delivered the first; the late one failed for good: it stays delivered.
                try await repository.recordAttempt(id: ids[0], claim: current, statusCode: 204, error: nil, duration: .milliseconds(5), delivered: true, retryAfter: nil)
                try await repository.recordAttempt(id: ids[0], claim: stale, statusCode: nil, error: "timeout", duration: .seconds(10), delivered: false, retryAfter: nil)
                // The second: a late failure changes nothing, a late success marks it delivered.
                try await repository.recordAttempt(id: ids[1], claim: stale, statusCode: 500, error: "HTTP 500", duration: .milliseconds(5), delivered: false, retryAfter: nil)
                let afterFailure = try await TestSQL.rows(databaseURL: api.databaseURL, query: "SELECT status FROM deliveries WHERE id = '\(ids[1])'")
                #expect(afterFailure == [["pending"]])
                try await repository.recordAttempt(id: ids[1], claim: stale, statusCode: 204, error: nil, duration: .milliseconds(5), delivered: true, retryAfter: nil)
            }
            #expect(try await api.sql("SELECT status FROM deliveries ORDER BY created_at, id") == [["delivered"], ["delivered"]])
            // Every attempt is in the history, the late ones too.
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM delivery_attempts") == "4")
        }
    }

    @Test("receivers that hang past the timeout, answer slowly or redirect hold up none of the others")
    func misbehavingReceiversDoNotHoldUpOthers() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        receiver.delay("hang", by: .seconds(15))  // past the sender's 10 s timeout
        receiver.delay("slow", by: .seconds(2))
        receiver.answer("redirect", with: [.found])
        try await TestAPI.run(configure: {
            $0.webhookAllowPrivate = true
            $0.webhookBackoff = [.seconds(3600)]
        }) { api in
            let keys = try await api.standardActors()
            let integration = try await api.issueKey("kobenhavn", role: "integration")
            for path in ["hang", "slow", "redirect", "up"] {
                let created = try await api.call(
                    .post, "/v1/subscriptions", key: integration, json: #"{"url": "\#(receiver.url(path))", "kinds": ["handoff.requested"]}"#)
                #expect(created.status == .created)
            }
            for index in 1...12 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: String(format: "%02d0150-1234", index))
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            }
            // Every healthy delivery arrives while the hanging receiver still holds its first attempts: none of them
            // has timed out yet, so nothing waited for them.
            #expect(try await Self.eventually(30) { receiver.requests(to: "up").count == 12 && receiver.requests(to: "redirect").count == 12 })
            // Counted before asking whether an attempt has finished: if none has by then, none had when counting, so
            // the count cannot include a second round (on a loaded machine the wait above can reach the 10 s timeout).
            let hangRequests = receiver.requests(to: "hang").count
            let hangFinished = try await TestSQL.scalar(
                api,
                """
                SELECT count(*)::text FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN subscriptions s ON s.id = d.subscription_id
                WHERE s.url LIKE '%/hang'
                """)
            #expect(hangFinished == "0")
            #expect(hangRequests <= WebhookDeliverer.perSubscription)
            #expect(try await Self.eventually(30) { receiver.requests(to: "slow").count == 12 })
            // A redirect is an answer, not followed: recorded as the status it was.
            #expect(
                try await Self.eventually(30) {
                    try await TestSQL.scalar(
                        api,
                        "SELECT count(*)::text FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.url LIKE '%/redirect' AND d.last_status_code = 302"
                    ) == "12"
                })
        }
    }
}
