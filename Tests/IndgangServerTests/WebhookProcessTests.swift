import Foundation
import HTTPTypes
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Webhooks across process deaths and replicas, with the real binary and a real receiver.
@Suite("Webhooks across processes", .serialized)
struct WebhookProcessTests {
    struct Setup {
        let base: String
        let hospital: String
        let integration: String
    }

    static func environment(databaseURL: String) -> [String: String] {
        var environment = ProcessLifecycleTests.baseEnvironment
        environment["DATABASE_URL"] = databaseURL
        environment["INDGANG_DATA_KEY"] = Data(repeating: 5, count: 32).base64EncodedString()
        environment["INDGANG_WEBHOOK_ALLOW_PRIVATE"] = "1"
        environment["INDGANG_WEBHOOK_BACKOFF"] = "0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"
        return environment
    }

    static func start(_ environment: [String: String]) async throws -> (ChildProcess, Int) {
        let port = ChildProcess.freePort()
        let server = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: server), "\(server.output)")
        return (server, port)
    }

    static func setUp(port: Int, receiver: WebhookReceiver) async throws -> Setup {
        let base = "http://127.0.0.1:\(port)/v1"
        try await HTTPProbe.createStandardActors(base: base)
        let hospital = try await HTTPProbe.issueKey(base: base, slug: "nsh", role: "caseworker")
        let integration = try await HTTPProbe.issueKey(base: base, slug: "kobenhavn", role: "integration")
        let subscription = try await HTTPProbe.send(
            "POST", "\(base)/subscriptions", key: integration, json: #"{"url": "\#(receiver.url("hook"))", "kinds": ["handoff.requested"]}"#)
        try #require(subscription.status == 201, "\(String(decoding: subscription.body, as: UTF8.self))")
        return Setup(base: base, hospital: hospital, integration: integration)
    }

    static func handOff(_ count: Int, offset: Int = 0, setup: Setup) async throws {
        for index in 0..<count {
            let day = String(format: "%02d", 1 + (index + offset) % 28)
            let month = String(format: "%02d", 1 + (index + offset) / 28)
            let opened = try await HTTPProbe.send(
                "POST", "\(setup.base)/cases", key: setup.hospital, json: #"{"cpr": "\#(day)\#(month)50-1234", "pathway": "subacute-elderly"}"#)
            let caseID = try #require(opened.json["id"] as? String, "\(String(decoding: opened.body, as: UTF8.self))")
            _ = try await HTTPProbe.send("POST", "\(setup.base)/cases/\(caseID)/handoffs", key: setup.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r"}"#)
        }
    }

    static func webhookIDs(_ receiver: WebhookReceiver) -> [String] {
        receiver.requests(to: "hook").compactMap { $0.headers[HTTPField.Name("webhook-id")!] }
    }

    @Test("a server killed with deliveries pending delivers every one after restart, under the same webhook-id")
    func crashRecovery() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer("hook", with: [.serviceUnavailable])
        let environment = Self.environment(databaseURL: try await TestCluster.shared.freshDatabase())
        let (first, port) = try await Self.start(environment)
        let setup = try await Self.setUp(port: port, receiver: receiver)
        try await Self.handOff(10, setup: setup)
        #expect(try await WebhooksTests.eventually { Set(Self.webhookIDs(receiver)).count == 10 })
        let triedBeforeCrash = Set(Self.webhookIDs(receiver))
        first.signal(SIGKILL)
        _ = await first.waitForExit()

        receiver.answer("hook", with: [.noContent])
        let (second, _) = try await Self.start(environment)
        defer { second.signal(SIGTERM) }
        // Deliveries the killed process had claimed come back when their 15 s lease runs out.
        #expect(try await WebhooksTests.eventually(60) {
            try await TestSQL.rows(databaseURL: environment["DATABASE_URL"]!, query: "SELECT count(*)::text FROM deliveries WHERE status = 'delivered'")
                .first?.first == "10"
        })
        #expect(Set(Self.webhookIDs(receiver)) == triedBeforeCrash)  // the same ids, none lost or new
    }

    @Test("two servers on one database deliver each notification once per attempt")
    func twoReplicas() async throws {
        let receiver = try await WebhookReceiver()
        defer { receiver.stop() }
        let environment = Self.environment(databaseURL: try await TestCluster.shared.freshDatabase())
        let (first, port) = try await Self.start(environment)
        let (second, _) = try await Self.start(environment)
        defer {
            first.signal(SIGTERM)
            second.signal(SIGTERM)
        }
        let setup = try await Self.setUp(port: port, receiver: receiver)
        try await Self.handOff(30, setup: setup)
        #expect(try await WebhooksTests.eventually(30) { Set(Self.webhookIDs(receiver)).count == 30 })
        try await Task.sleep(for: .seconds(2))  // any duplicate would have arrived by now
        let ids = Self.webhookIDs(receiver)
        #expect(ids.count == 30, "each delivery once: \(ids.count) requests for \(Set(ids).count) deliveries")
    }
}
