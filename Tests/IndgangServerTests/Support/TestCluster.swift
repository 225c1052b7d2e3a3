import Foundation
import IndgangStore
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// One real PostgreSQL cluster per test process (started with the product's own embedded launcher, as the
/// `postgres` user when running as root), a migrated template database, and a fresh database per test.
actor TestCluster {
    static let shared = TestCluster()

    private var started: Task<EmbeddedPostgres, any Error>?
    private var previousCreation: Task<Void, any Error>?
    private var counter = 0
    static let templateName = "indgang_template"

    static let logger: Logger = {
        var logger = Logger(label: "indgang.tests")
        logger.logLevel = .warning
        return logger
    }()

    func cluster() async throws -> EmbeddedPostgres {
        if let started { return try await started.value }
        let task = Task { try await Self.startCluster() }
        started = task
        return try await task.value
    }

    /// A new database cloned from the migrated template; returns its `DATABASE_URL`.
    func freshDatabase() async throws -> String {
        let cluster = try await cluster()
        counter += 1
        let name = "t\(getpid())_\(counter)"
        // CREATE DATABASE … TEMPLATE fails while another clone of the same template is running: one at a time.
        let previous = previousCreation
        let creation = Task {
            _ = try? await previous?.value
            try await cluster.ensureDatabase(name, template: Self.templateName)
        }
        previousCreation = creation
        try await creation.value
        return cluster.url(database: name)
    }

    /// A new database that Indgang has never migrated; returns its `DATABASE_URL`.
    func emptyDatabase() async throws -> String {
        let cluster = try await cluster()
        counter += 1
        let name = "e\(getpid())_\(counter)"
        try await cluster.ensureDatabase(name)
        return cluster.url(database: name)
    }

    private static func startCluster() async throws -> EmbeddedPostgres {
        let folder = URL(fileURLWithPath: "/tmp/indgang-tests-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        let cluster = try EmbeddedPostgres.start(in: folder, options: .init(durable: false), logger: logger)
        TestClusterTeardown.register(cluster: cluster, folder: folder)
        try await cluster.ensureDatabase(templateName)
        let client = PostgresClient(configuration: cluster.configuration(database: templateName), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await Migrator.bundled().migrate(client: client, logger: logger)
            group.cancelAll()
        }
        return cluster
    }
}

/// Stops the test cluster when the test process exits, so no PostgreSQL outlives `swift test`.
enum TestClusterTeardown {
    nonisolated(unsafe) private static var cluster: EmbeddedPostgres?  // written once, before any exit; read in atexit
    nonisolated(unsafe) private static var folder: URL?

    static func register(cluster: EmbeddedPostgres, folder: URL) {
        self.cluster = cluster
        self.folder = folder
        atexit {
            TestClusterTeardown.cluster?.stop()
            if let folder = TestClusterTeardown.folder { try? FileManager.default.removeItem(at: folder) }
        }
    }
}
