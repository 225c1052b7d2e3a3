import ArgumentParser
import IndgangServer
import IndgangStore
import Logging
import PostgresNIO

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the Schema/ migrations and exit.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = try options.resolve()
        let logger = Logger(label: "indgang.migrate")
        let applied = try await withDatabase(config: config, logger: logger) { client in
            try await Migrator.bundled().migrate(client: client, logger: logger)
        }
        logger.info("migrations complete", metadata: ["applied_now": "\(applied.count)"])
    }
}

/// Runs `body` with a connected client (embedded cluster or `DATABASE_URL`), then shuts everything down.
/// Joins the cluster of a running `indgang serve` in the same folder instead of starting a second one.
func withDatabase<T: Sendable>(
    config: AppConfiguration, logger: Logger, _ body: @escaping @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    try await withStorage(config: config, logger: logger) { client, _ in try await body(client) }
}

/// `withDatabase`, also handing over the prepared storage (for its data key).
func withStorage<T: Sendable>(
    config: AppConfiguration, logger: Logger, _ body: @escaping @Sendable (PostgresClient, StorageBootstrap) async throws -> T
) async throws -> T {
    let storage = try await StorageBootstrap.prepare(config: config, allowGuest: true, logger: logger)
    defer { storage.cluster?.stop() }
    let client = PostgresClient(configuration: storage.clientConfiguration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        group.addTask { try await body(client, storage) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let value = result { return value }
        }
        throw CancellationError()
    }
}
