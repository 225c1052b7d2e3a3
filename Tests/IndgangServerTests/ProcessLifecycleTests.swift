import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real binary: embedded PostgreSQL, its folder lock, clean shutdown, and durability across SIGKILL.
@Suite("indgang serve as a process", .serialized)
struct ProcessLifecycleTests {
    static var baseEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        environment["INDGANG_ADMIN_KEY"] = TestAPI.adminKey
        environment["LOG_LEVEL"] = "info"
        return environment
    }

    @Test("embedded mode: starts its own cluster, refuses a second server on the folder, stops the cluster on SIGTERM")
    func embeddedLifecycle() async throws {
        let folder = "/tmp/indgang-embedded-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var environment = Self.baseEnvironment
        environment.removeValue(forKey: "INDGANG_DATA_KEY")
        environment["INDGANG_DATA_DIR"] = folder
        let port = ChildProcess.freePort()
        let server = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        let ready = try await HTTPProbe.waitUntilReady(port: port, child: server)
        try #require(ready, "serve did not become ready:\n\(server.output)")
        #expect(FileManager.default.fileExists(atPath: "\(folder)/data.key"))

        let second = try ChildProcess(arguments: ["serve", "--port", "\(ChildProcess.freePort())"], environment: environment)
        let secondStatus = await second.waitForExit(timeout: .seconds(30))
        #expect(secondStatus != nil && secondStatus != 0)
        #expect(second.output.contains("already using the embedded database"), "\(second.output)")
        // The first server is unharmed.
        #expect(try await HTTPProbe.send("GET", "http://127.0.0.1:\(port)/readyz").status == 200)

        // A tool joins the running cluster instead of starting another.
        _ = try await HTTPProbe.send(
            "POST", "http://127.0.0.1:\(port)/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "esbjerg", "name": "Esbjerg", "kind": "municipality", "municipality_code": "561"}"#)
        let keys = try ChildProcess(arguments: ["keys", "create", "--actor", "esbjerg", "--role", "caseworker"], environment: environment)
        #expect(await keys.waitForExit() == 0)
        let printed = keys.output.split(separator: "\n").filter { $0.hasPrefix("igk_") }
        #expect(printed.count == 1, "\(keys.output)")
        let listed = try await HTTPProbe.send("GET", "http://127.0.0.1:\(port)/v1/actors", key: String(printed.first ?? ""))
        #expect(listed.status == 200)

        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.output)")
        #expect(server.output.contains("embedded PostgreSQL stopped"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/cluster/pgdata/postmaster.pid"))
    }

    @Test("with DATABASE_URL, serve refuses a database with pending migrations and says how; `indgang migrate` (no data key needed) or --migrate applies them")
    func migrationsOnPurpose() async throws {
        var environment = Self.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.emptyDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 5, count: 32).base64EncodedString()
        let refused = try ChildProcess(arguments: ["serve", "--port", "\(ChildProcess.freePort())"], environment: environment)
        let status = await refused.waitForExit(timeout: .seconds(60))
        #expect(status != nil && status != 0, "\(refused.output)")
        #expect(refused.output.contains("pending migration") && refused.output.contains("0001_core"), "\(refused.output)")
        #expect(refused.output.contains("indgang migrate") && refused.output.contains("--migrate"), "\(refused.output)")
        #expect(try await TestSQL.rows(databaseURL: environment["DATABASE_URL"]!, query: "SELECT to_regclass('cases')::text") == [[nil]])

        // Migrating touches no personal data: no data key.
        var withoutKey = environment
        withoutKey.removeValue(forKey: "INDGANG_DATA_KEY")
        let migrate = try ChildProcess(arguments: ["migrate"], environment: withoutKey)
        #expect(await migrate.waitForExit() == 0, "\(migrate.output)")
        // On another database never migrated, serve --migrate applies them itself.
        var other = environment
        other["DATABASE_URL"] = try await TestCluster.shared.emptyDatabase()
        let port = ChildProcess.freePort()
        let migrating = try ChildProcess(arguments: ["serve", "--port", "\(port)", "--migrate"], environment: other)
        #expect(try await HTTPProbe.waitUntilReady(port: port, child: migrating), "\(migrating.output)")
        migrating.signal(SIGTERM)
        #expect(await migrating.waitForExit() == 0)
        // Now current: a plain start is fine.
        let plainPort = ChildProcess.freePort()
        let plain = try ChildProcess(arguments: ["serve", "--port", "\(plainPort)"], environment: environment)
        #expect(try await HTTPProbe.waitUntilReady(port: plainPort, child: plain), "\(plain.output)")
        plain.signal(SIGTERM)
        #expect(await plain.waitForExit() == 0)
    }

    @Test("a process killed with SIGKILL right after 201 loses nothing")
    func killAfterCreate() async throws {
        var environment = Self.baseEnvironment
        environment["DATABASE_URL"] = try await TestCluster.shared.freshDatabase()
        environment["INDGANG_DATA_KEY"] = Data(repeating: 7, count: 32).base64EncodedString()
        let port = ChildProcess.freePort()
        let base = "http://127.0.0.1:\(port)/v1"

        let first = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: first), "\(first.output)")
        _ = try await HTTPProbe.send("POST", "\(base)/actors", key: TestAPI.adminKey, json: #"{"slug": "nsh", "name": "NSH", "kind": "hospital"}"#)
        let key = try #require(try await HTTPProbe.send("POST", "\(base)/actors/nsh/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker"}"#).json["key"] as? String)
        let created = try await HTTPProbe.send("POST", "\(base)/cases", key: key, json: #"{"cpr": "010150-1234", "pathway": "subacute-elderly"}"#)
        first.signal(SIGKILL)
        #expect(created.status == 201)
        let caseID = try #require(created.json["id"] as? String)
        _ = await first.waitForExit()

        let second = try ChildProcess(arguments: ["serve", "--port", "\(port)"], environment: environment)
        try #require(try await HTTPProbe.waitUntilReady(port: port, child: second), "\(second.output)")
        let fetched = try await HTTPProbe.send("GET", "\(base)/cases/\(caseID)", key: key)
        #expect(fetched.status == 200)
        #expect(fetched.json["responsible_actor"] as? String == "nsh")
        let duplicate = try await HTTPProbe.send("POST", "\(base)/cases", key: key, json: #"{"cpr": "0101501234", "pathway": "subacute-elderly"}"#)
        #expect(duplicate.status == 409)
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
    }
}
