import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import Testing
@testable import IndgangServer
import IndgangStore

/// Values that pass a naive validation but not PostgreSQL's, and bodies that try to make the work unbounded:
/// each a 422 (or 413) naming the field, nothing written (issue 15).
@Suite("Hostile input")
struct HostileInputTests {
    static let flag = "🇩🇰"  // one grapheme cluster, two code points: PostgreSQL counts two

    @Test("NUL characters and lengths counted in code points: 422 naming the field, never a 500, nothing written")
    func textPostgreSQLRefuses() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let nul = "\\u0000"
            let attempts: [(String, String, String, String)] = [
                ("/v1/actors", TestAPI.adminKey, #"{"slug": "x1", "name": "A\#(nul)B", "kind": "other"}"#, "name"),
                ("/v1/actors", TestAPI.adminKey, #"{"slug": "x2", "name": "\#(String(repeating: Self.flag, count: 150))", "kind": "other"}"#, "name"),
                ("/v1/cases", keys.hospital, #"{"cpr": "010150-1234", "pathway": "subacute-elderly", "summary": "a\#(nul)"}"#, "summary"),
                ("/v1/events", keys.integration, Self.event(source: "epj\(nul)"), "source"),
                ("/v1/events", keys.integration, Self.event(source: String(repeating: Self.flag, count: 51)), "source"),
                ("/v1/events", keys.integration, Self.event(id: "x\(nul)"), "id"),
                ("/v1/events", keys.integration, Self.event(department: "ward\(nul)7"), "attributes.department"),
                ("/v1/events", keys.integration, Self.event(department: String(repeating: Self.flag, count: 101)), "attributes.department"),
            ]
            for (path, key, body, field) in attempts {
                let response = try await api.call(.post, path, key: key, json: body)
                #expect(response.status == .unprocessableContent, "\(path) \(field): \(response.text)")
                #expect(response.fieldErrors == [field], "\(path): \(response.text)")
            }
            let caseID = try await api.openCase(key: keys.hospital, cpr: "010150-1234")
            let reason = try await api.call(.post, "/v1/cases/\(caseID)/handoffs", key: keys.hospital, json: #"{"to_actor": "hillerod", "reason": "r\#(nul)"}"#)
            #expect(reason.status == .unprocessableContent && reason.fieldErrors == ["reason"])
            // The other text fields a caller can send: note, close note, reject reason, key label, subscription URL.
            let note = try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.hospital, json: #"{"text": "a\#(nul)b"}"#)
            #expect(note.status == .unprocessableContent && note.fieldErrors == ["text"], "\(note.text)")
            let longNote = String(repeating: Self.flag, count: 5_001)  // 5,001 clusters, 10,002 code points
            #expect(try await api.call(.post, "/v1/cases/\(caseID)/notes", key: keys.hospital, json: #"{"text": "\#(longNote)"}"#).fieldErrors == ["text"])
            let close = try await api.call(.post, "/v1/cases/\(caseID)/close", key: keys.hospital, json: #"{"outcome": "completed", "note": "x\#(nul)"}"#)
            #expect(close.status == .unprocessableContent && close.fieldErrors == ["note"])
            let label = try await api.call(.post, "/v1/actors/nsh/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker", "label": "\#(String(repeating: Self.flag, count: 101))"}"#)
            #expect(label.status == .unprocessableContent && label.fieldErrors == ["label"])
            let hook = try await api.call(.post, "/v1/subscriptions", key: keys.integration, json: #"{"url": "https://example.org/\#(nul)", "kinds": ["handoff.requested"]}"#)
            #expect(hook.status == .unprocessableContent && hook.fieldErrors == ["url"], "\(hook.text)")
            let handoff = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "hillerod")
            let reject = try await api.call(.post, "/v1/handoffs/\(handoff)/reject", key: keys.kommune, json: #"{"reason": "nej\#(nul)"}"#)
            #expect(reject.status == .unprocessableContent && reject.fieldErrors == ["reason"])
            #expect(try await api.call(.get, "/v1/cases?responsible=a%00b", key: keys.hospital).fieldErrors == ["responsible"])
            #expect(try await api.call(.get, "/v1/keys?actor=a%00b", key: TestAPI.adminKey).fieldErrors == ["actor"])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs WHERE status <> 'pending'") == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'note'") == "0")

            // Group commit: a bad event posted among good ones fails alone; its neighbours are written.
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body = index == 3 ? Self.event(id: "bad\(index)", department: "w\(nul)") : Self.event(id: "ok\(index)", cpr: "01015\(index)-4321")
                        return try await api.call(.post, "/v1/events", key: keys.integration, json: body).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == [201, 201, 201, 201, 201, 201, 201, 422])
        }
    }

    static func event(source: String = "epj", id: String = "x", cpr: String = "010150-1234", department: String? = nil) -> String {
        let department = department.map { #", "department": "\#($0)""# } ?? ""
        return #"{"source": "\#(source)", "id": "\#(id)", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "\#(cpr)", "attributes": {"episode_id": "e", "admission": "acute", "actor": "nsh"\#(department)}}"#
    }

    @Test("a batch's lines meet the single post's checks: NUL, code points, lone surrogates, bad UTF-8 refused by line, never a 500")
    func hostileBatchLines() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let nul = "\\u0000"
            var lines: [(line: String, status: Int, field: String?)] = [
                (Self.event(source: "epj\(nul)", id: "n1"), 422, "source"),
                (Self.event(id: "n2\(nul)"), 422, "id"),
                (Self.event(id: "n3", department: "ward\(nul)7"), 422, "attributes.department"),
                (Self.event(id: "n4", department: String(repeating: Self.flag, count: 101)), 422, "attributes.department"),
                (Self.event(source: String(repeating: Self.flag, count: 51), id: "n5"), 422, "source"),
                (Self.event(id: "n6", department: "\\ud800"), 400, nil),
                (Self.event(id: "n7", department: String(repeating: Self.flag, count: 50)), 0, nil),  // 100 code points: accepted
            ]
            var body = Data(lines.map(\.line).joined(separator: "\n").utf8)
            body.append(contentsOf: Array("\n".utf8) + [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])  // invalid UTF-8
            lines.append(("", 400, nil))
            let response = try await api.call(
                .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"], rawBody: body)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["accepted"] as? Int == 1, "\(response.text)")
            let rejected = try #require(response.json["rejected"] as? [[String: Any]])
            let refused = lines.enumerated().filter { $0.element.status != 0 }
            #expect(rejected.compactMap { $0["line"] as? Int } == refused.map { $0.offset + 1 })
            let problems = rejected.compactMap { $0["problem"] as? [String: Any] }
            #expect(problems.compactMap { $0["status"] as? Int } == refused.map(\.element.status))
            let fields = problems.map { (($0["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
            #expect(fields == refused.map { $0.element.field.map { [$0] } ?? [] }, "\(response.text)")
            #expect(try await TestSQL.scalar(api, "SELECT string_agg(external_id, ',') FROM events") == "n7")
        }
    }

    @Test("an NDJSON batch holds at most 10,000 events (413), and lists at most 100 refused lines with the total")
    func boundedBatch() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let post = { (lines: [String]) in
                try await api.call(
                    .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"],
                    rawBody: Data(lines.joined(separator: "\n").utf8))
            }
            let tooMany = try await post(Array(repeating: "{}", count: 10_001))
            #expect(tooMany.status == .contentTooLarge && tooMany.headers[.contentType] == "application/problem+json", "\(tooMany.text)")
            let bad = try await post(Array(repeating: "{oops", count: 500) + [Self.event(id: "good")])
            #expect(bad.status == .ok)
            #expect(bad.json["accepted"] as? Int == 1 && bad.json["rejected_count"] as? Int == 500)
            #expect((bad.json["rejected"] as? [[String: Any]])?.count == 100)
            #expect((bad.json["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 1)
        }
    }
}

@Suite("Deadlines")
struct DeadlineTests {
    /// Work that, like a pool lease waiting for a database that is down, does not stop when cancelled: it ends
    /// only when the test releases it, which the test does after `Deadline.run` has answered. A deadline that
    /// waited for its work would never answer (the time limit ends the test then).
    @Test("a deadline answers even when the work ignores cancellation (readiness while the database is down)", .timeLimit(.minutes(1)))
    func answersWithoutTheWork() async throws {
        let held = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        await #expect(throws: Deadline.Exceeded.self) {
            try await Deadline.run(within: .milliseconds(200)) {
                await withCheckedContinuation { continuation in held.withLockedValue { $0 = continuation } }
                return true
            }
        }
        while held.withLockedValue({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        held.withLockedValue { $0?.resume() }
        #expect(try await Deadline.run(within: .seconds(30)) { 42 } == 42)
    }
}

@Suite("Configuration at start")
struct ConfigurationValidationTests {
    @Test("infinite, not-a-number, negative and near-zero intervals are refused by name instead of crashing or busy-looping")
    func intervals() throws {
        for (name, value) in [
            ("INDGANG_SCHEDULER_INTERVAL", "inf"), ("INDGANG_SCHEDULER_INTERVAL", "nan"), ("INDGANG_SCHEDULER_INTERVAL", "0.0001"),
            ("INDGANG_SCHEDULER_INTERVAL", "-5"), ("INDGANG_STREAM_HEARTBEAT", "1e300"), ("INDGANG_WEBHOOK_BACKOFF", "5,inf,10"),
            ("INDGANG_WEBHOOK_BACKOFF", "5,,10"),
        ] {
            #expect(throws: ConfigurationError.self, "\(name)=\(value)") { try AppConfiguration.fromEnvironment([name: value]) }
            do { _ = try AppConfiguration.fromEnvironment([name: value]) } catch { #expect("\(error)".contains(name)) }
        }
        let config = try AppConfiguration.fromEnvironment(["INDGANG_SCHEDULER_INTERVAL": "0.5", "INDGANG_WEBHOOK_BACKOFF": "0,1.5"])
        #expect(config.schedulerInterval == .milliseconds(500) && config.webhookBackoff == [.zero, .milliseconds(1500)])
    }
}

@Suite("Configuration precedence")
struct ConfigurationPrecedenceTests {
    @Test("flags win over the environment, the environment over the defaults; an empty value is unset")
    func precedence() throws {
        let config = try AppConfiguration.read(
            flags: ["INDGANG_LOCK_TIMEOUT": "3"],
            environment: ["INDGANG_LOCK_TIMEOUT": "7", "INDGANG_STATEMENT_TIMEOUT": "9", "INDGANG_DATA_DIR": "", "DATABASE_URL": "postgres://u:p@db/x"])
        #expect(config.lockTimeout == .seconds(3))
        #expect(config.statementTimeout == .seconds(9))
        #expect(config.dataFolder.lastPathComponent == ".indgang")
        #expect(config.databaseURL == "postgres://u:p@db/x")
        #expect(config.shutdownGrace == .seconds(20))
    }
}

@Suite("Database limits")
struct DatabaseLimitsTests {
    @Test("a statement that waits too long for a lock answers 503 with Retry-After, writes nothing, and the next try goes through")
    func lockTimeout() async throws {
        try await TestAPI.run(configure: { $0.lockTimeout = .milliseconds(300) }) { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let id = try #require(UUID(uuidString: caseID))
            try await TestSQL.withDatabase(api.databaseURL) { database in
                try await database.transaction { connection in
                    try await connection.query("SELECT 1 FROM cases WHERE id = \(id) FOR UPDATE", logger: database.logger)
                    let blocked = try await api.call(.post, "/v1/cases/\(caseID)/close", key: keys.hospital, json: #"{"outcome": "completed"}"#)
                    #expect(blocked.status == .serviceUnavailable && blocked.headers[.retryAfter] == "5", "\(blocked.text)")
                    #expect(blocked.headers[.contentType] == "application/problem+json")
                }
            }
            #expect(try await TestSQL.scalar(api, "SELECT status FROM cases") == "open")
            #expect(try await api.call(.post, "/v1/cases/\(caseID)/close", key: keys.hospital, json: #"{"outcome": "completed"}"#).status == .ok)
        }
    }

    @Test("figures the pre-aggregated counts cannot answer (another window) are computed two at a time: a third is 429 with Retry-After")
    func classifyingIsBounded() async throws {
        try await TestAPI.run { api in
            try await api.createActor("statistik")
            let coordinator = try await api.issueKey("statistik", role: "coordinator")
            let path = "/v1/outcomes/recidivism?window_days=365"
            try await TestSQL.withDatabase(api.databaseURL) { database in
                let held = try await database.transaction { connection in
                    // The two figures wait for this lock, holding both places.
                    try await connection.query("LOCK TABLE outcome_episodes IN ACCESS EXCLUSIVE MODE", logger: database.logger)
                    let held = (0..<2).map { _ in Task { try await api.call(.get, path, key: coordinator) } }
                    let waiting = try await WebhooksTests.eventually {
                        try await TestSQL.scalar(api, "SELECT count(*)::text FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == "2"
                    }
                    #expect(waiting)
                    let third = try await api.call(.get, path, key: coordinator)
                    #expect(third.status == .tooManyRequests && third.headers[.retryAfter] == "5", "\(third.text)")
                    return held
                }
                for request in held { #expect(try await request.value.status == .ok) }
            }
            #expect(try await api.call(.get, path, key: coordinator).status == .ok)
        }
    }

    @Test("DATABASE_URL's sslmode has libpq's meanings; an unknown one is refused at start")
    func sslModes() throws {
        for mode in ["disable", "prefer", "require", "verify-ca", "verify-full"] {
            #expect(throws: Never.self) { _ = try DatabaseURL.configuration(from: "postgres://u@db.example/x?sslmode=\(mode)&sslrootcert=/etc/ssl/ca.pem") }
        }
        #expect(throws: ConfigurationError.self) { _ = try DatabaseURL.configuration(from: "postgres://u@db.example/x?sslmode=sometimes") }
    }
}

@Suite("HTTP connection limits", .serialized)
struct HTTPConnectionLimitTests {
    /// A raw TCP client: sends `bytes`, then waits (up to `patience`) for the server to close the connection.
    /// Answers whether it closed, and what it sent first.
    static func serverCloses(port: Int, sending bytes: String, patience: Int = 20) -> (closed: Bool, received: String) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return (false, "") }
        var timeout = timeval(tv_sec: patience, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withCString { send(descriptor, $0, strlen($0), 0) }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return (true, String(decoding: received, as: UTF8.self)) }  // orderly close by the server
            if count < 0 { return (false, String(decoding: received, as: UTF8.self)) }  // our own patience ran out
            received += buffer[0..<count]
        }
    }

    @Test("a client that never finishes its request head, or idles after an answer, is disconnected after INDGANG_HTTP_IDLE_TIMEOUT")
    func idleAndSlowClientsAreClosed() async throws {
        let (server, root) = try await ChildProcess.serve(["INDGANG_HTTP_IDLE_TIMEOUT": "1"])
        defer { server.signal(SIGTERM) }
        let port = try #require(Int(root.split(separator: ":").last ?? ""))
        // Slowloris: half a request head, then nothing.
        let slow = Self.serverCloses(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        #expect(slow.closed && slow.received.isEmpty, "\(slow)")
        // Keep-alive: one whole request answered, then silence.
        let idle = Self.serverCloses(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(idle.closed && idle.received.hasPrefix("HTTP/1.1 200"), "\(idle)")
        // The server still serves.
        #expect(try await HTTPProbe.send("GET", "\(root)/healthz").status == 200)
    }
}
