import Foundation
import Testing
@testable import IndgangStore

#if canImport(Glibc)
import Glibc
#endif

/// A migrated primary (a private embedded cluster) and a hot standby streaming from it, made the way an operator
/// makes one (`pg_basebackup -R`), for the read-routing and failover tests: real replication, real replay lag.
struct StandbyCluster {
    let primary: ExternalToolTests.DatabaseFaultTests.PrivateCluster
    let folder: URL
    let binaries: PostgresBinaries
    /// The folder pg_ctl really lives in (a PATH entry may hold only links to initdb and pg_ctl).
    var tools: String { URL(fileURLWithPath: binaries.pgCtl).resolvingSymlinksInPath().deletingLastPathComponent().path }

    var standbyData: String { folder.appendingPathComponent("standby/pgdata").path }
    var standbySockets: String { folder.appendingPathComponent("standby/run").path }
    var primaryURL: String { primary.databaseURL }
    var standbyURL: String { "postgres://\(primary.cluster.superuser)@localhost:\(primary.cluster.port)/indgang?host=\(standbySockets)" }
    /// The unix sockets a proxy connects to.
    var primarySocket: String { "\(primary.cluster.socketDirectory)/.s.PGSQL.\(primary.cluster.port)" }
    var standbySocket: String { "\(standbySockets)/.s.PGSQL.\(primary.cluster.port)" }

    static func start() async throws -> StandbyCluster {
        let primary = try await ExternalToolTests.DatabaseFaultTests.PrivateCluster.start()
        let folder = URL(fileURLWithPath: "/tmp/indgang-standby-\(UUID().uuidString.prefix(8))")
        let pair = StandbyCluster(primary: primary, folder: folder, binaries: try PostgresBinaries.locate())
        do {
            let migrator = try Migrator.bundled()
            try await TestSQL.withClient(databaseURL: primary.databaseURL) { client in
                _ = try await migrator.migrate(client: client, logger: TestCluster.logger)
            }
            try pair.makeStandby()
            try #require(try await WebhooksTests.eventually(60) { try await pair.standbyScalar("SELECT status FROM pg_stat_wal_receiver") == "streaming" })
            return pair
        } catch {
            pair.tearDown()
            throw error
        }
    }

    private func makeStandby() throws {
        let standby = folder.appendingPathComponent("standby")
        try FileManager.default.createDirectory(at: standby.appendingPathComponent("run"), withIntermediateDirectories: true)
        chmod(folder.path, 0o711)
        if geteuid() == 0 {
            try run([ProcessRunner.which("chown") ?? "chown", "-R", "postgres:postgres", standby.path], asPostgres: false)
        }
        chmod(standby.path, 0o700)
        try run([
            "\(tools)/pg_basebackup", "-h", primary.cluster.socketDirectory, "-p", "\(primary.cluster.port)",
            "-U", primary.cluster.superuser, "-D", standbyData, "-R", "-X", "stream", "-c", "fast",
        ])
        try run([
            binaries.pgCtl, "start", "-D", standbyData, "-w", "-t", "60", "-l", folder.appendingPathComponent("standby/postgres.log").path,
            "-o", "-c unix_socket_directories='\(standbySockets)' -c hot_standby_feedback=on",
        ])
    }

    /// Stops the standby as a crash would (`immediate`) or politely.
    func stopStandby(mode: EmbeddedPostgres.ShutdownMode = .immediate) throws {
        try run([binaries.pgCtl, "stop", "-D", standbyData, "-m", mode.rawValue, "-w", "-t", "60"])
    }

    func tearDown() {
        if FileManager.default.fileExists(atPath: "\(standbyData)/postmaster.pid") { try? stopStandby() }
        primary.tearDown()
        try? FileManager.default.removeItem(at: folder)
    }

    func standbyScalar(_ query: String) async throws -> String? {
        try await TestSQL.rows(databaseURL: standbyURL, query: query).first?.first ?? nil
    }

    func primaryScalar(_ query: String) async throws -> String? {
        try await TestSQL.rows(databaseURL: primaryURL, query: query).first?.first ?? nil
    }

    /// Waits until the standby has replayed everything the primary has written so far.
    func waitForReplay() async throws {
        let target = try #require(try await primaryScalar("SELECT pg_current_wal_lsn()::text"))
        try #require(
            try await WebhooksTests.eventually(60) {
                try await standbyScalar("SELECT (pg_last_wal_replay_lsn() >= '\(target)'::pg_lsn)::text") == "true"
            }, "the standby did not catch up with \(target)")
    }

    private func run(_ arguments: [String], asPostgres: Bool = true) throws {
        let command = asPostgres && geteuid() == 0 ? [ProcessRunner.which("runuser") ?? "runuser", "-u", "postgres", "--"] + arguments : arguments
        let result = try ProcessRunner.run(command)
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): exit \(result.status)\n\(result.output)")
    }
}
