import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The live stream against the real binary, read by curl: delivery, heartbeats, resume without gap or
/// duplicate, and a clean end on shutdown.
@Suite("Live notification stream", .serialized)
struct NotificationStreamTests {
    struct Event: Equatable {
        let id: String
        let kind: String
        let data: String
    }

    static func events(in output: String) -> [Event] {
        output.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            guard let id = fields["id"], let kind = fields["event"], let data = fields["data"] else { return nil }
            return Event(id: id, kind: kind, data: data)
        }
    }

    @Test("notifications arrive live, with heartbeats; Last-Event-ID resumes with no gap and no duplicate; SIGTERM ends streams")
    func streamResumeShutdown() async throws {
        var environment = ProcessLifecycleTests.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.freshDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 9, count: 32).base64EncodedString()
        environment["INDGANG_STREAM_HEARTBEAT"] = "1"
        let port = ChildProcess.freePort()
        let base = "http://127.0.0.1:\(port)/v1"
        let server = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: server), "\(server.output)")
        try await HTTPProbe.createStandardActors(base: base)
        let hospital = try await HTTPProbe.issueKey(base: base, slug: "nsh", role: "caseworker")
        let kommune = try await HTTPProbe.issueKey(base: base, slug: "kobenhavn", role: "caseworker")
        func handOff(_ index: Int) async throws -> String {
            let opened = try await HTTPProbe.send("POST", "\(base)/cases", key: hospital, json: #"{"cpr": "0\#(index)0150-1234", "pathway": "subacute-elderly"}"#)
            let caseID = try #require(opened.json["id"] as? String, "\(String(decoding: opened.body, as: UTF8.self))")
            let handoff = try await HTTPProbe.send("POST", "\(base)/cases/\(caseID)/handoffs", key: hospital, json: #"{"to_actor": "kobenhavn", "reason": "r"}"#)
            return try #require(handoff.json["id"] as? String)
        }
        func listen(seconds: Int, lastEventID: String? = nil) throws -> ChildProcess {
            var arguments = ["-N", "-s", "--max-time", "\(seconds)", "-H", "Authorization: Bearer \(kommune)"]
            if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
            return try ChildProcess(program: "curl", arguments: arguments + ["\(base)/notifications/stream"])
        }

        let live = try listen(seconds: 5)
        try await Task.sleep(for: .milliseconds(700))
        var handoffs: [String] = []
        for index in 1...3 { handoffs.append(try await handOff(index)) }
        _ = await live.waitForExit(timeout: .seconds(15))
        let received = Self.events(in: live.output)
        #expect(received.map(\.kind) == ["handoff.requested", "handoff.requested", "handoff.requested"], "\(live.output)")
        #expect(handoffs.allSatisfy { handoff in received.contains { $0.data.contains(handoff) } })
        #expect(Set(received.map(\.id)).count == 3)
        #expect(live.output.contains(": heartbeat"))
        #expect(!live.output.contains("0101501234") && !live.output.contains("010150-1234"))

        // Disconnected: one more arrives; resuming after the first event gives exactly the other three.
        handoffs.append(try await handOff(4))
        let resumed = try listen(seconds: 3, lastEventID: try #require(received.first?.id))
        _ = await resumed.waitForExit(timeout: .seconds(10))
        let again = Self.events(in: resumed.output)
        #expect(again.map(\.id) == Array(received.map(\.id).dropFirst()) + [again.last?.id ?? "missing"], "live:\n\(live.output)\nresumed:\n\(resumed.output)")
        #expect(again.count == 3)
        #expect(again.last?.data.contains(handoffs[3]) == true)
        let malformed = try ChildProcess(program: "curl", arguments: ["-s", "-H", "Authorization: Bearer \(kommune)", "-H", "Last-Event-ID: nonsense", "\(base)/notifications/stream"])
        _ = await malformed.waitForExit(timeout: .seconds(10))
        #expect(malformed.output.contains("Last-Event-ID"), "\(malformed.output)")

        // A stream open at shutdown ends, and the server exits cleanly.
        let open = try listen(seconds: 30)
        try await Task.sleep(for: .milliseconds(700))
        server.signal(SIGTERM)
        #expect(await server.waitForExit(timeout: .seconds(20)) == 0, "\(server.output)")
        #expect(await open.waitForExit(timeout: .seconds(10)) != nil)
    }
}

extension NotificationStreamTests {
    @Test("revoking a key ends the live streams it opened within 5 seconds")
    func revocationEndsStream() async throws {
        var environment = ProcessLifecycleTests.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.freshDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 9, count: 32).base64EncodedString()
        let port = ChildProcess.freePort()
        let base = "http://127.0.0.1:\(port)/v1"
        let server = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        defer { server.signal(SIGTERM) }
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: server), "\(server.output)")
        try await HTTPProbe.createStandardActors(base: base)
        let issued = try await HTTPProbe.send("POST", "\(base)/actors/kobenhavn/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker"}"#)
        let key = try #require(issued.json["key"] as? String)
        let keyID = try #require(issued.json["id"] as? String)
        let stream = try ChildProcess(program: "curl", arguments: ["-N", "-s", "--max-time", "30", "-H", "Authorization: Bearer \(key)", "\(base)/notifications/stream"])
        try await Task.sleep(for: .seconds(1))
        #expect(await stream.waitForExit(timeout: .milliseconds(100)) == nil, "the stream is open")
        let revoked = try await HTTPProbe.send("DELETE", "\(base)/keys/\(keyID)", key: TestAPI.adminKey)
        #expect(revoked.status == 200)
        let start = ContinuousClock.now
        let ended = await stream.waitForExit(timeout: .seconds(10))
        // The contract's 5 seconds, with a margin for a loaded test machine; curl's own limit is 30.
        #expect(ended != nil && ContinuousClock.now - start < .seconds(6), "stream ended: \(String(describing: ended)) after \(ContinuousClock.now - start)")
    }
}

extension NotificationStreamTests {
    @Test("one key holds at most INDGANG_STREAMS_PER_KEY live streams: one more is 429 with Retry-After; a closed one frees its place")
    func streamsPerKey() async throws {
        // A stream whose client went away is noticed at its next write (a heartbeat), then its place is free.
        let (server, root) = try await ChildProcess.serve(["INDGANG_STREAMS_PER_KEY": "2", "INDGANG_STREAM_HEARTBEAT": "1"])
        defer { server.signal(SIGTERM) }
        let base = root + "/v1"
        try await HTTPProbe.createStandardActors(base: base)
        let issued = try await HTTPProbe.send("POST", "\(base)/actors/kobenhavn/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker"}"#)
        let key = try #require(issued.json["key"] as? String)
        let open = { (seconds: Int) in
            try ChildProcess(
                program: "curl",
                arguments: ["-N", "-s", "-o", "/dev/null", "-w", "%{http_code} %header{retry-after}", "--max-time", "\(seconds)", "-H", "Authorization: Bearer \(key)",
                            "\(base)/notifications/stream"])
        }
        let first = try open(30)
        let second = try open(30)
        try await Task.sleep(for: .seconds(1))
        let third = try open(5)
        _ = await third.waitForExit(timeout: .seconds(20))
        #expect(third.output.hasPrefix("429 10"), "third stream: \(third.output)")
        first.signal(SIGTERM)
        _ = await first.waitForExit()
        // The freed place is taken again (the stream itself then runs until curl's limit).
        var status = ""
        for _ in 0..<40 where !status.hasPrefix("200") {
            let again = try open(2)
            _ = await again.waitForExit(timeout: .seconds(20))
            status = again.output
            if !status.hasPrefix("200") { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(status.hasPrefix("200"), "after one closed: \(status)")
        second.signal(SIGTERM)
    }
}
