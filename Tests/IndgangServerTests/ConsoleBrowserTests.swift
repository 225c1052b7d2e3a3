import Foundation
import Testing

/// The console in a real headless Chromium driven by Selenium (`Tests/console/e2e.py`), against the real binary:
/// what only a browser shows — live updates without reload, forms as a person fills them, accessibility (axe-core).
/// `.ci/run` installs chromium, chromium-driver and the Python packages; a machine without them fails this test.
/// The suites that drive a real server with an outside tool (a browser, schemathesis) run one after the other:
/// together they would load two cores past any client's patience.
@Suite("With outside tools", .serialized)
enum ExternalToolTests {}

extension ExternalToolTests {
@Suite("Web console in a real browser", .serialized)
struct ConsoleBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../console/e2e.py").standardizedFileURL
    /// Kept after the run as test artefacts (the README's screenshots come from `docs/console-screenshots.sh`).
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/console-screenshots").standardizedFileURL

    @Test("log in, open a case, hand it off; the receiver sees it live, must give a reason to reject, accepts; CSRF; revocation; no CPR in a URL; axe")
    func endToEnd() async throws {
        let (server, base) = try await ChildProcess.serve(["INDGANG_CONSOLE_INSECURE_COOKIE": "1"])
        for actor in [
            #"{"slug": "nsh", "name": "Nordsjællands Hospital", "kind": "hospital"}"#,
            #"{"slug": "hillerod", "name": "Hillerød Kommune", "kind": "municipality", "municipality_code": "219"}"#,
            #"{"slug": "statistik", "name": "Statistik", "kind": "other"}"#,
        ] {
            #expect(try await HTTPProbe.send("POST", "\(base)/v1/actors", key: TestAPI.adminKey, json: actor).status == 201)
        }
        let hospital = try await Self.issueKey(base, actor: "nsh")
        let kommune = try await Self.issueKey(base, actor: "hillerod")
        let coordinator = try await Self.issueKey(base, actor: "statistik", role: "coordinator")
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)

        let browser = try ChildProcess(
            program: "env",
            arguments: [
                "python3", Self.script.path, "--base", base, "--hospital", hospital.key, "--kommune", kommune.key, "--coordinator", coordinator.key, "--admin", TestAPI.adminKey,
                "--kommune-key-id", kommune.id, "--screenshots", Self.screenshots.path,
            ])
        let status = await browser.waitForExit(timeout: .seconds(240))
        #expect(status == 0, "browser test:\n\(browser.output)\n--- server:\n\(server.output.suffix(3000))")
        server.signal(SIGTERM)
        _ = await server.waitForExit()
    }

    static func issueKey(_ base: String, actor: String, role: String = "caseworker") async throws -> (key: String, id: String) {
        let reply = try await HTTPProbe.send("POST", "\(base)/v1/actors/\(actor)/keys", key: TestAPI.adminKey, json: #"{"role": "\#(role)"}"#)
        let key = try #require(reply.json["key"] as? String, "\(reply.status)")
        let id = try #require(reply.json["id"] as? String)
        return (key, id)
    }
}
}
