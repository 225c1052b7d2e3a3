import Crypto
import Foundation
import IndgangStore
import Logging
import PostgresNIO

/// Where the data lives: the server at `DATABASE_URL`, or the embedded cluster under the data folder.
/// Shared by `serve` and the command-line tools so that they always agree.
public struct StorageBootstrap: Sendable {
    public let clientConfiguration: PostgresClient.Configuration
    /// `INDGANG_READ_DATABASE_URL`'s standby, with the same limits; nil when none is configured.
    public let readClientConfiguration: PostgresClient.Configuration?
    /// Present in embedded mode; its owner must call `stop()` (the server does so on shutdown).
    public let cluster: EmbeddedPostgres?

    public static let embeddedDatabaseName = "indgang"

    /// With `allowGuest`, a command-line tool joins the cluster of a running `indgang serve` instead of failing.
    public static func prepare(config: AppConfiguration, allowGuest: Bool, logger: Logger) async throws -> StorageBootstrap {
        let read = try config.readDatabaseURL.map { limited(try DatabaseURL.configuration(from: $0), config) }
        if let url = config.databaseURL {
            return StorageBootstrap(clientConfiguration: limited(try DatabaseURL.configuration(from: url), config), readClientConfiguration: read, cluster: nil)
        }
        let cluster = try EmbeddedPostgres.start(
            in: config.dataFolder, options: .init(durable: config.embeddedDurable), allowGuest: allowGuest, logger: logger)
        do {
            try await cluster.ensureDatabase(embeddedDatabaseName)
        } catch {
            cluster.stop()
            throw error
        }
        return StorageBootstrap(
            clientConfiguration: limited(cluster.configuration(database: embeddedDatabaseName), config), readClientConfiguration: read, cluster: cluster)
    }

    /// Every pooled connection starts with the configured statement and lock timeouts (and ends a transaction
    /// left idle for a minute), so one slow query or a held lock cannot tie up the pool.
    static func limited(_ configuration: PostgresClient.Configuration, _ config: AppConfiguration) -> PostgresClient.Configuration {
        var limited = configuration
        func milliseconds(_ duration: Duration) -> String { "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)" }
        limited.options.additionalStartupParameters += [
            ("statement_timeout", milliseconds(config.statementTimeout)), ("lock_timeout", milliseconds(config.lockTimeout)),
            ("idle_in_transaction_session_timeout", "60000"),
        ]
        return limited
    }

    /// `INDGANG_DATA_KEY`, or in embedded mode `<data folder>/data.key` (created on first run).
    public func dataKey(config: AppConfiguration) throws -> SymmetricKey {
        if let text = config.dataKey { return try DataKey.parse(base64: text) }
        guard cluster != nil else {
            throw ConfigurationError(
                "INDGANG_DATA_KEY is required with DATABASE_URL: it seals CPR numbers and must be kept outside the database (create one with `openssl rand -base64 32`)"
            )
        }
        return try DataKey.loadOrCreate(at: config.dataFolder.appendingPathComponent("data.key"))
    }
}
