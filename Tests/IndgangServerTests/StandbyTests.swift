import Foundation
import IndgangCore
import IndgangServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several replicas and a standby (API.md; issue 19), on a real primary and a real hot standby streaming from it:
/// outcome figures read from the standby while it is fresh enough, from the primary when replay is paused past
/// `INDGANG_READ_MAX_LAG` or the standby is gone; and a connection that a failover left on a server in recovery
/// does not keep failing writes.
extension ExternalToolTests {
@Suite("A streaming standby and a failover", .serialized)
struct StandbyTests {
    static let period = "from=2000-01-01&to=2099-12-31"

    /// Opens a case at the hospital for each of `citizens` (born 1950) and hands it to the municipality.
    static func handOff(_ api: TestAPI, hospital: String, citizens: Range<Int>) async throws {
        for number in citizens {
            let caseID = try await api.openCase(key: hospital, cpr: String(format: "%02d0150-1234", number + 1))
            _ = try await api.requestHandoff(caseID: caseID, key: hospital, to: "kobenhavn")
        }
    }

    /// The handoff figures' requested count (all groups) and `definition.as_of`.
    static func figures(_ api: TestAPI, coordinator: String) async throws -> (requested: Int, asOf: Date) {
        let response = try await api.call(.get, "/v1/outcomes/handoffs?\(period)", key: coordinator)
        try #require(response.status == .ok, "\(response.text)")
        let groups = (response.json["groups"] as? [[String: Any]]) ?? []
        let definition = response.json["definition"] as? [String: Any]
        let text = (definition?["parameters"] as? [String: Any])?["as_of"] as? String
        let asOf = try #require(text.flatMap { RFC3339.parse($0) }, "\(response.text)")
        return (groups.reduce(0) { $0 + (($1["requested"] as? Int) ?? 0) }, asOf)
    }

    @Test(
        "figures come from a fresh standby with as_of where its data ends; paused past INDGANG_READ_MAX_LAG, or stopped, they come from the primary"
    )
    func readRouting() async throws {
        let pair = try await StandbyCluster.start()
        defer { pair.tearDown() }
        // Two replicas on the same primary and standby: one that tolerates any lag, one that tolerates a second.
        try await TestAPI.run(databaseURL: pair.primaryURL, configure: {
            $0.readDatabaseURL = pair.standbyURL
            $0.readMaxLag = .seconds(86_400)
        }) { patient in
            let keys = try await patient.standardActors()
            try await patient.createActor("statistik", kind: "other", code: nil)
            let coordinator = try await patient.issueKey("statistik", role: "coordinator")
            try await Self.handOff(patient, hospital: keys.hospital, citizens: 0..<5)
            try await pair.waitForReplay()
            let fresh = try await Self.figures(patient, coordinator: coordinator)
            #expect(fresh.requested == 5)
            #expect(abs(fresh.asOf.timeIntervalSinceNow) < 30, "a streaming, caught-up standby is complete up to about now: \(fresh.asOf)")

            _ = try await pair.standbyScalar("SELECT pg_wal_replay_pause()::text")
            let paused = Date()
            try await Self.handOff(patient, hospital: keys.hospital, citizens: 5..<10)
            try await Task.sleep(for: .seconds(2))
            // The patient replica still reads the paused standby: the new handoffs are not there, and as_of says so.
            let stale = try await Self.figures(patient, coordinator: coordinator)
            #expect(stale.requested == 5, "read from the paused standby")
            #expect(stale.asOf <= paused.addingTimeInterval(1), "as_of \(stale.asOf) is where the standby's data ends, not \(paused) or later")

            try await TestAPI.run(databaseURL: pair.primaryURL, configure: {
                $0.readDatabaseURL = pair.standbyURL
                $0.readMaxLag = .seconds(1)
            }) { strict in
                let asked = Date()
                let fallback = try await Self.figures(strict, coordinator: coordinator)
                #expect(fallback.requested == 10, "lagging more than a second: the primary answers")
                #expect(fallback.asOf >= asked.addingTimeInterval(-1), "the primary's as_of is now: \(fallback.asOf) vs \(asked)")
            }

            _ = try await pair.standbyScalar("SELECT pg_wal_replay_resume()::text")
            try await pair.waitForReplay()
            try await Task.sleep(for: .seconds(1.5))  // past the one second a look at the standby is reused
            let caughtUp = try await Self.figures(patient, coordinator: coordinator)
            #expect(caughtUp.requested == 10 && caughtUp.asOf > paused)

            // The standby dies: figures still come, from the primary, and soon (the standby check has a deadline).
            try pair.stopStandby()
            try await Task.sleep(for: .seconds(1.5))  // past the one second a look at the standby is reused
            let asked = ContinuousClock.now
            let orphaned = try await Self.figures(patient, coordinator: coordinator)
            #expect(orphaned.requested == 10 && ContinuousClock.now - asked < .seconds(20))
        }
    }

    @Test(
        "a connection that a failover left on a server in recovery is closed on its first refused write, so writes resume on the new primary behind the same address"
    )
    func demotedPrimary() async throws {
        let pair = try await StandbyCluster.start()
        defer { pair.tearDown() }
        let ingest = try await TestAPI.run(databaseURL: pair.primaryURL) { api in
            try await api.createActor("nsh", kind: "hospital", code: nil)
            return try await api.issueKey("nsh", role: "integration", eventTypes: TestAPI.allEventTypes)
        }
        try await pair.waitForReplay()

        // A proxy in haproxy's place, pointing (as a failover can leave it for a few seconds) at the server in recovery.
        let folder = URL(fileURLWithPath: "/tmp/indgang-proxy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (portFile, targetFile) = (folder.appendingPathComponent("port").path, folder.appendingPathComponent("target").path)
        try pair.standbySocket.write(toFile: targetFile, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../tools/switchable_proxy.py").standardizedFileURL.path
        let proxy = try ChildProcess(program: "python3", arguments: [script, portFile, targetFile])
        defer { proxy.signal(SIGKILL) }
        try #require(try await WebhooksTests.eventually(30) { FileManager.default.fileExists(atPath: portFile) }, "proxy: \(proxy.output)")
        let port = try String(contentsOfFile: portFile, encoding: .utf8)

        try await TestAPI.run(databaseURL: "postgres://\(pair.primary.cluster.superuser)@127.0.0.1:\(port)/indgang?sslmode=disable") { api in
            func post(_ id: String) async throws -> APIResponse {
                try await api.postEvent(
                    key: ingest, id: id, type: "hospital.admitted", at: "2026-03-01T10:00:00+01:00",
                    attributes: #"{"episode_id": "\#(id)", "admission": "acute", "actor": "nsh"}"#)
            }
            // Several connections in the pool, all to the server in recovery.
            let refused = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for number in 0..<4 { group.addTask { try await post("while-recovering-\(number)") } }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            #expect(refused.allSatisfy { $0.status == .serviceUnavailable && $0.headers[.retryAfter] != nil }, "\(refused.map(\.text))")

            // The address now leads to the primary; connections made before still lead to the server in recovery.
            try pair.primarySocket.write(toFile: targetFile + ".new", atomically: true, encoding: .utf8)
            rename(targetFile + ".new", targetFile)
            var statuses: [Int] = []
            for attempt in 0..<3 {
                let status = try await post("after-failover-\(attempt)").status.code
                statuses.append(status)
                if status == 201 { break }
            }
            #expect(statuses.last == 201, "writes did not resume after the address moved: \(statuses)")
            let kept = try await pair.primaryScalar("SELECT count(*)::text FROM events WHERE external_id LIKE 'after-failover-%'")
            #expect(kept == "1")
        }
    }
}
}
