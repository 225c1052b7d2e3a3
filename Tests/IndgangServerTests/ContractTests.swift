import Foundation
import Testing

/// Schemathesis (PyPI) against the served `/openapi.yaml`, with a key of each role, over every operation: no
/// 5xx, every response in its documented schema and status codes, problem bodies as problem+json, 405 for
/// undeclared methods (issue 15). `.ci/run` installs it; a machine without it fails this test.
///
/// Excluded, on purpose: response times (measured by `Benchmarks/`, never asserted in tests); the
/// `positive_data_acceptance` check — some refusals depend on what no schema can say
/// (a webhook host that does not resolve, a CPR whose first six digits are no date, grants that depend on the
/// key's role) and are documented as 422; the NDJSON batch route (schemathesis has no NDJSON serializer; the
/// batch has its own tests); and the live stream (it does not end).
extension ExternalToolTests {
@Suite("The OpenAPI contract, checked by schemathesis", .serialized)
struct ContractTests {
    @Test("every role: no 5xx, documented status codes and schemas, problem+json")
    func schemathesis() async throws {
        let (server, base) = try await ChildProcess.serve(["LOG_LEVEL": "warning"])
        for actor in [
            #"{"slug": "nsh", "name": "Nordsjællands Hospital", "kind": "hospital"}"#,
            #"{"slug": "hillerod", "name": "Hillerød Kommune", "kind": "municipality", "municipality_code": "219"}"#,
            #"{"slug": "statistik", "name": "Statistik", "kind": "other"}"#,
        ] {
            #expect(try await HTTPProbe.send("POST", "\(base)/v1/actors", key: TestAPI.adminKey, json: actor).status == 201)
        }
        // The admin last: its run may revoke keys it finds.
        let keys = [
            ("caseworker", try await ConsoleBrowserTests.issueKey(base, actor: "nsh").key),
            ("integration", try await ConsoleBrowserTests.issueKey(base, actor: "nsh", role: "integration").key),
            ("coordinator", try await ConsoleBrowserTests.issueKey(base, actor: "statistik", role: "coordinator").key),
            ("admin", TestAPI.adminKey),
        ]
        for (role, key) in keys {
            let run = try ChildProcess(
                program: "env",
                arguments: [
                    "SCHEMATHESIS_TELEMETRY=false", "st", "run", "\(base)/openapi.yaml", "--header", "Authorization: Bearer \(key)",
                    "--max-examples", "3", "--seed", "1", "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--max-response-time", "3600",
                    "--exclude-path", "/v1/events/batch", "--exclude-path", "/v1/notifications/stream", "--request-timeout", "60", "--no-color",
                ])
            let status = await run.waitForExit(timeout: .seconds(300))
            #expect(status == 0, "schemathesis as \(role):\n\(run.output.suffix(6000))")
        }
        // No request failed inside the server (a 500 would be logged at level error).
        #expect(server.output.firstMatch(of: /\s(error|critical)\s/) == nil, "server log:\n\(server.output.suffix(3000))")
        server.signal(SIGTERM)
        _ = await server.waitForExit()
    }
}
}
