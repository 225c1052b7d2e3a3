import Crypto
import Foundation
import IndgangStore
import Logging
import PostgresNIO

/// Where the data lives: the server at `DATABASE_URL`, or the embedded cluster under the data folder.
/// Shared by `serve` and the command-line tools so that they always agree.
public struct StorageBootstrap: Sendable {
    public let clientConfiguration: PostgresClient.Configuration
    /// Present in embedded mode; its owner must call `stop()` (the server does so on shutdown).
    public let cluster: EmbeddedPostgres?

    public static let embeddedDatabaseName = "indgang"

    /// With `allowGuest`, a command-line tool joins the cluster of a running `indgang serve` instead of failing.
    public static func prepare(config: AppConfiguration, allowGuest: Bool, logger: Logger) async throws -> StorageBootstrap {
        if let url = config.databaseURL {
            return StorageBootstrap(clientConfiguration: try DatabaseURL.configuration(from: url), cluster: nil)
        }
        let cluster = try EmbeddedPostgres.start(
            in: config.dataFolder, options: .init(durable: config.embeddedDurable), allowGuest: allowGuest, logger: logger)
        do {
            try await cluster.ensureDatabase(embeddedDatabaseName)
        } catch {
            cluster.stop()
            throw error
        }
        return StorageBootstrap(clientConfiguration: cluster.configuration(database: embeddedDatabaseName), cluster: cluster)
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
