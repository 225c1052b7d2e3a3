import Foundation
import IndgangStore
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Faults an operator meets, against the real binary (issue 15): PostgreSQL restarted under load, the listeners'
/// connections killed, SIGTERM with live streams and requests in flight. They drive a real server with outside
/// tools (pg_ctl, curl) and the restart test runs a cluster of its own, so they run one after the other with the
/// browser and contract suites.
extension ExternalToolTests {
@Suite("Database faults, with the real binary", .serialized)
struct DatabaseFaultTests {
    /// A cluster of the test's own: the shared one must never be stopped. Durable, because an immediate
    /// shutdown loses commits that `synchronous_commit = off` (the shared cluster's setting) had acknowledged.
    struct PrivateCluster {
        let cluster: EmbeddedPostgres
        let folder: URL
        let databaseURL: String

        static func start() async throws -> PrivateCluster {
            let folder = URL(fileURLWithPath: "/tmp/indgang-faults-\(UUID().uuidString.prefix(8))")
            let cluster = try EmbeddedPostgres.start(in: folder, options: .init(durable: true), logger: TestCluster.logger)
            do {
                try await cluster.ensureDatabase("indgang")
            } catch {
                cluster.stop()
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
            return PrivateCluster(cluster: cluster, folder: folder, databaseURL: cluster.url(database: "indgang"))
        }

        func tearDown() {
            cluster.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// A light, steady load of `POST /v1/events` (a few clients, one request at a time each) that records
    /// which events were acknowledged (201 or 200) and how everything else was answered.
    final class EventLoad: Sendable {
        struct Tally: Sendable {
            var acknowledged: Set<String> = []
            var statuses: [Int: Int] = [:]
            var transportErrors = 0
            var next = 0
        }

        private let tally: NIOLockedValueBox<Tally>
        private let running: NIOLockedValueBox<Bool>
        private let workers: [Task<Void, Never>]

        init(base: String, key: String, clients: Int = 2) {
            let tally = NIOLockedValueBox(Tally())
            let running = NIOLockedValueBox(true)
            self.tally = tally
            self.running = running
            workers = (0..<clients).map { _ in
                Task {
                    while running.withLockedValue({ $0 }) {
                        let number = tally.withLockedValue { tally in
                            defer { tally.next += 1 }
                            return tally.next
                        }
                        let id = "load-\(number)"
                        do {
                            let reply = try await HTTPProbe.send("POST", "\(base)/events", key: key, json: EventLoad.event(id: id, number: number))
                            tally.withLockedValue { tally in
                                tally.statuses[reply.status, default: 0] += 1
                                if reply.status == 201 || reply.status == 200 { tally.acknowledged.insert(id) }
                            }
                        } catch {
                            tally.withLockedValue { $0.transportErrors += 1 }
                        }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
        }

        /// An acute admission at nsh of a citizen of its own (born 1930–1949, serial 1xxx–2xxx: 1900s, 65+).
        static func event(id: String, number: Int) -> String {
            let cpr = String(format: "%02d%02d%02d-%04d", 1 + number % 28, 1 + number / 28 % 12, 30 + number / 336 % 20, 1000 + number % 2000)
            let formatter = ISO8601DateFormatter()
            let occurredAt = formatter.string(from: Date().addingTimeInterval(-3600))
            return #"{"source": "faults", "id": "\#(id)", "type": "hospital.admitted", "occurred_at": "\#(occurredAt)", "cpr": "\#(cpr)", "attributes": {"episode_id": "\#(id)", "admission": "acute", "actor": "nsh"}}"#
        }

        var snapshot: Tally { tally.withLockedValue { $0 } }

        /// Stops sending and waits for the requests in flight (each bounded by the probe's client limit).
        func stop() async -> Tally {
            running.withLockedValue { $0 = false }
            for worker in workers { await worker.value }
            return snapshot
        }
    }

    /// Opens a case at nsh and hands it to kobenhavn (a `handoff.requested` for kobenhavn's stream and webhook).
    static func handOff(_ number: Int, setup: WebhookProcessTests.Setup) async throws -> (caseID: String, handoffID: String) {
        let cpr = String(format: "%02d%02d55-1234", 1 + number % 28, 1 + number / 28 % 12)
        let opened = try await HTTPProbe.send("POST", "\(setup.base)/cases", key: setup.hospital, json: #"{"cpr": "\#(cpr)", "pathway": "subacute-elderly"}"#)
        let caseID = try #require(opened.json["id"] as? String, "opening a case: \(opened.status) \(String(decoding: opened.body, as: UTF8.self))")
        let handoff = try await HTTPProbe.send("POST", "\(setup.base)/cases/\(caseID)/handoffs", key: setup.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r"}"#)
        let handoffID = try #require(handoff.json["id"] as? String, "handing off: \(handoff.status) \(String(decoding: handoff.body, as: UTF8.self))")
        return (caseID, handoffID.lowercased())
    }

    /// A live stream read by curl; returns once the server has sent its first line, so nothing made from then on can be missed.
    static func openStream(base: String, key: String, lastEventID: String? = nil, seconds: Int = 300) async throws -> ChildProcess {
        var arguments = ["-N", "-s", "--max-time", "\(seconds)", "-H", "Authorization: Bearer \(key)"]
        if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
        let stream = try ChildProcess(program: "curl", arguments: arguments + ["\(base)/notifications/stream"])
        try #require(try await WebhooksTests.eventually(30) { stream.output.contains("retry:") }, "the stream did not open: \(stream.output)")
        return stream
    }

    static func received(_ stream: ChildProcess, _ handoffID: String) -> Bool {
        NotificationStreamTests.events(in: stream.output).contains { $0.data.lowercased().contains(handoffID) }
    }

    static func delivered(_ receiver: WebhookReceiver, _ handoffID: String) -> Bool {
        receiver.requests(to: "hook").contains { String(decoding: $0.body, as: UTF8.self).lowercased().contains(handoffID) }
    }

    /// Acknowledged events missing from the database.
    static func missing(_ tally: EventLoad.Tally, databaseURL: String) async throws -> Set<String> {
        let stored = try await TestSQL.rows(databaseURL: databaseURL, query: "SELECT external_id FROM events WHERE source = 'faults'").compactMap { $0.first ?? nil }
        return tally.acknowledged.subtracting(stored)
    }

    /// The server's backends LISTENing, as (pid, query); this test's own connection excluded.
    static func listeners(_ databaseURL: String) async throws -> [(pid: String, query: String)] {
        try await TestSQL.rows(
            databaseURL: databaseURL,
            query: "SELECT pid::text, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'"
        ).map { ($0[0] ?? "", $0[1] ?? "") }
    }

    @Test(
        "PostgreSQL restarted under load: /readyz answers 503 while it is gone and 200 after, with the same process; every acknowledged event is kept; an open stream and a webhook get a notification made after",
        arguments: [EmbeddedPostgres.ShutdownMode.fast, .immediate])
    func restart(mode: EmbeddedPostgres.ShutdownMode) async throws {
        let database = try await PrivateCluster.start()
        defer { database.tearDown() }
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        var environment = WebhookProcessTests.environment(databaseURL: database.databaseURL)
        environment["INDGANG_STREAM_HEARTBEAT"] = "1"
        environment["INDGANG_MIGRATE"] = "1"  // a database of its own, never migrated
        let (server, port) = try await WebhookProcessTests.start(environment)
        defer { server.signal(SIGTERM) }
        let root = "http://127.0.0.1:\(port)"
        let setup = try await WebhookProcessTests.setUp(port: port, receiver: receiver)
        let kommune = try await HTTPProbe.issueKey(base: setup.base, slug: "kobenhavn", role: "caseworker")
        let integration = try await HTTPProbe.issueKey(base: setup.base, slug: "nsh", role: "integration")

        // Before the fault: the stream and the webhook work, and the load is acknowledged.
        let live = try await Self.openStream(base: setup.base, key: kommune)
        let before = try await Self.handOff(1, setup: setup)
        #expect(try await WebhooksTests.eventually(30) { Self.received(live, before.handoffID) }, "before the restart:\n\(live.output)")
        #expect(try await WebhooksTests.eventually(30) { Self.delivered(receiver, before.handoffID) })
        let load = EventLoad(base: setup.base, key: integration)
        try #require(try await WebhooksTests.eventually(30) { load.snapshot.acknowledged.count >= 5 }, "no load acknowledged: \(load.snapshot)")

        try database.cluster.stopServer(mode: mode)
        // A health check sees 503 at once (within a generous margin), not a timeout of its own.
        for _ in 0..<3 {
            let asked = ContinuousClock.now
            let reply = try? await HTTPProbe.send("GET", "\(root)/readyz")
            let took = ContinuousClock.now - asked
            #expect(reply?.status == 503 && took < .seconds(10), "\(String(describing: reply?.status)) /readyz with the database gone: \(reply.map { "\($0.status)" } ?? "no answer") after \(took)")
        }
        // A scrape costs no query: /metrics answers while the database is gone.
        let metrics = try await HTTPProbe.send("GET", "\(root)/metrics")
        #expect(metrics.status == 200 && String(decoding: metrics.body, as: UTF8.self).contains("indgang_webhook_pending_deliveries"))
        let acknowledgedWhileDown = load.snapshot.acknowledged.count
        try database.cluster.startServer()

        #expect(try await WebhooksTests.eventually(90) { (try? await HTTPProbe.send("GET", "\(root)/readyz"))?.status == 200 }, "\(server.output.suffix(3000))")
        #expect(await server.waitForExit(timeout: .milliseconds(100)) == nil, "the server itself did not restart: \(server.output.suffix(3000))")
        #expect(try await WebhooksTests.eventually(60) { load.snapshot.acknowledged.count > acknowledgedWhileDown }, "writes resume: \(load.snapshot)")

        let after = try await Self.handOff(2, setup: setup)
        // A stream open through the outage either goes on (a short one) or has ended (a longer one: its key could not
        // be checked); its client reconnects with Last-Event-ID, below, and loses nothing.
        let liveGoesOnOrEnded = try await WebhooksTests.eventually(30) {
            if Self.received(live, after.handoffID) { return true }
            return await live.waitForExit(timeout: .milliseconds(10)) != nil
        }
        #expect(liveGoesOnOrEnded, "the stream opened before the restart:\n\(live.output)")
        #expect(try await WebhooksTests.eventually(30) { Self.delivered(receiver, after.handoffID) }, "webhook requests: \(receiver.requests(to: "hook").count)")
        // A client that reconnects after the outage gets exactly what it had not seen.
        let firstID = try #require(NotificationStreamTests.events(in: live.output).first { $0.data.lowercased().contains(before.handoffID) }?.id)
        let resumed = try await Self.openStream(base: setup.base, key: kommune, lastEventID: firstID, seconds: 60)
        #expect(try await WebhooksTests.eventually(30) { Self.received(resumed, after.handoffID) }, "resumed:\n\(resumed.output)")
        let resumedHandoffs = NotificationStreamTests.events(in: resumed.output).filter { $0.kind == "handoff.requested" }
        #expect(resumedHandoffs.count == 1, "resumed after \(firstID):\n\(resumed.output)")
        resumed.signal(SIGTERM)
        live.signal(SIGTERM)

        let tally = await load.stop()
        let missing = try await Self.missing(tally, databaseURL: database.databaseURL)
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.sorted()); answers: \(tally.statuses), transport errors: \(tally.transportErrors)")
        // Through the outage the answers were acknowledgements or "try again" — never a 500.
        #expect(Set(tally.statuses.keys).isSubset(of: [200, 201, 503]), "answers: \(tally.statuses)")
        let kept = try await TestSQL.rows(
            databaseURL: database.databaseURL,
            query: "SELECT (SELECT count(*) FROM cases WHERE id = '\(before.caseID)')::text, (SELECT count(*) FROM handoffs WHERE id = '\(before.handoffID)')::text")
        #expect(kept.first == ["1", "1"], "the case and handoff made before the restart")

        server.signal(SIGTERM)
        #expect(await server.waitForExit(timeout: .seconds(30)) == 0, "\(server.output.suffix(3000))")
    }

    @Test("the listeners' connections killed (pg_terminate_backend), then every connection of the server: they LISTEN again, a stream keeps receiving, Last-Event-ID loses nothing")
    func listenerKilled() async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        var environment = WebhookProcessTests.environment(databaseURL: databaseURL)
        environment["INDGANG_STREAM_HEARTBEAT"] = "1"
        let (server, port) = try await WebhookProcessTests.start(environment)
        defer { server.signal(SIGTERM) }
        let setup = try await WebhookProcessTests.setUp(port: port, receiver: receiver)
        let kommune = try await HTTPProbe.issueKey(base: setup.base, slug: "kobenhavn", role: "caseworker")
        let live = try await Self.openStream(base: setup.base, key: kommune)
        let first = try await Self.handOff(1, setup: setup)
        #expect(try await WebhooksTests.eventually(30) { Self.received(live, first.handoffID) }, "\(live.output)")

        // The fan-out (indgang_notifications) and the key-change listener (indgang_principals) each hold one.
        let listening = try await Self.listeners(databaseURL)
        for channel in ["indgang_notifications", "indgang_principals"] {
            #expect(listening.contains { $0.query.contains(channel) }, "LISTENing: \(listening)")
        }
        let killed = try await TestSQL.rows(
            databaseURL: databaseURL,
            query: "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'")
        #expect(!killed.isEmpty && killed.allSatisfy { $0.first == "true" }, "\(killed)")
        let killedPIDs = Set(listening.map(\.pid))
        let listeningAgain = try await WebhooksTests.eventually(30) {
            let again = try await Self.listeners(databaseURL).filter { !killedPIDs.contains($0.pid) }
            return ["indgang_notifications", "indgang_principals"].allSatisfy { channel in again.contains { $0.query.contains(channel) } }
        }
        let nowListening = try await Self.listeners(databaseURL)
        #expect(listeningAgain, "both listeners LISTEN again; killed \(killedPIDs), now: \(nowListening)")
        let second = try await Self.handOff(2, setup: setup)
        #expect(try await WebhooksTests.eventually(30) { Self.received(live, second.handoffID) }, "after the listeners were killed:\n\(live.output)")
        #expect(try await WebhooksTests.eventually(30) { Self.delivered(receiver, second.handoffID) })

        // Every connection of the server, including the pooled ones the stream reads with; gone before the next request.
        let terminated = try await TestSQL.rows(
            databaseURL: databaseURL,
            query: "SELECT pid::text, pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).compactMap { $0.first ?? nil }
        #expect(
            try await WebhooksTests.eventually(30) {
                try await TestSQL.rows(
                    databaseURL: databaseURL,
                    query: "SELECT count(*)::text FROM pg_stat_activity WHERE pid::text = ANY('{\(terminated.joined(separator: ","))}'::text[])"
                ).first?.first == "0"
            }, "terminated backends still there: \(terminated)")
        let third = try await Self.handOff(3, setup: setup)
        let reachedAfterKill = try await WebhooksTests.eventually(30) { Self.received(live, third.handoffID) }
        let curlExit = await live.waitForExit(timeout: .milliseconds(100))
        #expect(reachedAfterKill, "after every connection was killed (curl exit: \(String(describing: curlExit))):\n\(live.output)")

        // Disconnected, with the listener killed once more: resuming gives exactly what was missed, then what comes.
        live.signal(SIGTERM)
        _ = await live.waitForExit(timeout: .seconds(10))
        let seen = NotificationStreamTests.events(in: live.output)
        #expect(seen.count == 3, "\(live.output)")
        let lastID = try #require(seen.last?.id)
        let fourth = try await Self.handOff(4, setup: setup)
        _ = try await TestSQL.rows(
            databaseURL: databaseURL,
            query: "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'")
        let resumed = try await Self.openStream(base: setup.base, key: kommune, lastEventID: lastID, seconds: 60)
        let fifth = try await Self.handOff(5, setup: setup)
        #expect(try await WebhooksTests.eventually(30) { Self.received(resumed, fifth.handoffID) }, "resumed:\n\(resumed.output)")
        let again = NotificationStreamTests.events(in: resumed.output)
        #expect(again.count == 2 && again.first?.data.lowercased().contains(fourth.handoffID) == true, "resumed after \(lastID):\n\(resumed.output)")
        #expect(Set(again.map(\.id)).isDisjoint(with: seen.map(\.id)), "no event twice")
        resumed.signal(SIGTERM)

        server.signal(SIGTERM)
        #expect(await server.waitForExit(timeout: .seconds(30)) == 0, "\(server.output.suffix(3000))")
    }

    @Test("SIGTERM with two live streams open and requests in flight: they finish or fail cleanly, the process exits 0 within 30 s, the streams end, nothing half written")
    func terminateInFlight() async throws {
        let databaseURL = try await TestCluster.shared.freshDatabase()
        var environment = WebhookProcessTests.environment(databaseURL: databaseURL)
        environment["INDGANG_STREAM_HEARTBEAT"] = "1"
        environment["INDGANG_LOCK_TIMEOUT"] = "20"  // the requests held below wait for the test, not for a timeout
        let (server, port) = try await WebhookProcessTests.start(environment)
        defer { server.signal(SIGTERM) }
        let base = "http://127.0.0.1:\(port)/v1"
        try await HTTPProbe.createStandardActors(base: base)
        let kommune = try await HTTPProbe.issueKey(base: base, slug: "kobenhavn", role: "caseworker")
        let integration = try await HTTPProbe.issueKey(base: base, slug: "nsh", role: "integration")
        let streams = [try await Self.openStream(base: base, key: kommune, seconds: 120), try await Self.openStream(base: base, key: kommune, seconds: 120)]
        let load = EventLoad(base: base, key: integration, clients: 3)
        try #require(try await WebhooksTests.eventually(30) { load.snapshot.acknowledged.count >= 5 }, "no load acknowledged: \(load.snapshot)")

        // Writes to `events` wait on a lock this test holds; SIGTERM arrives while they do, the lock goes 2 s later.
        let signalled = try await TestSQL.withClient(databaseURL: databaseURL) { client in
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: TestCluster.logger)
                try await connection.query("LOCK TABLE events IN SHARE MODE", logger: TestCluster.logger)
                let waiting = try await WebhooksTests.eventually(30) {
                    let rows = try await TestSQL.rows(
                        databaseURL: databaseURL,
                        query: "SELECT count(*)::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'relation'")
                    return (Int((rows.first?.first ?? nil) ?? "") ?? 0) >= 1
                }
                #expect(waiting, "no request waited on the lock")
                server.signal(SIGTERM)
                let signalled = ContinuousClock.now
                try await Task.sleep(for: .seconds(2))
                try await connection.query("ROLLBACK", logger: TestCluster.logger)
                return signalled
            }
        }
        let remaining = max(.seconds(30) - (ContinuousClock.now - signalled), .seconds(1))
        let status = await server.waitForExit(timeout: remaining)
        #expect(status == 0, "exit \(String(describing: status)) within 30 s of SIGTERM:\n\(server.output.suffix(3000))")
        for stream in streams {
            #expect(await stream.waitForExit(timeout: .seconds(10)) != nil, "a stream is still open:\n\(stream.output.suffix(500))")
        }

        let tally = await load.stop()
        #expect(Set(tally.statuses.keys).isSubset(of: [200, 201, 503]), "answers: \(tally.statuses)")
        let missing = try await Self.missing(tally, databaseURL: databaseURL)
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.sorted())")
        // Each admission opens its citizen's case in the same transaction: an event without it is half written.
        let halfWritten = try await TestSQL.rows(
            databaseURL: databaseURL,
            query: "SELECT count(*)::text FROM events e WHERE e.source = 'faults' AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.citizen_id = e.citizen_id)")
        #expect(halfWritten.first?.first == "0", "events without their case: \(halfWritten)")
    }
}
}
