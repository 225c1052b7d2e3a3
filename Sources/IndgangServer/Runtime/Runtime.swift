import Foundation
import IndgangStore
import Logging
import PostgresNIO

/// What every command runs on — `serve`, `migrate`, `keys`, `simulate`, `outcomes rebuild`: where the data lives
/// (the embedded cluster or `DATABASE_URL`), the data key, the pathway rules, the migrations and the repositories,
/// each built one way. The command-line tools hold no SQL and build no repository of their own.
public struct Runtime: Sendable {
    public let config: AppConfiguration
    public let storage: StorageBootstrap
    public let pathways: PathwayCatalog
    public let database: Database
    public let migrator: Migrator
    public let dataKey: Data
    let client: PostgresClient

    public let actors: PostgresActorRepository
    public let cases: PostgresCaseRepository
    public let handoffs: PostgresHandoffRepository
    public let events: PostgresEventRepository
    public let audit: PostgresAuditRepository
    public let outcomes: PostgresOutcomeRepository
    public let notifications: PostgresNotificationRepository
    public let subscriptions: PostgresSubscriptionRepository

    /// Assembles everything; the connection pool runs once `run(_:)` (tools) or the server's services (serve) run it.
    /// Broken rule files stop it before anything else happens. With `allowGuest`, a tool joins the embedded cluster
    /// of a running `indgang serve` instead of failing.
    static func assemble(config: AppConfiguration, allowGuest: Bool, logger: Logger) async throws -> Runtime {
        let pathways = try PathwayCatalog.bundled()
        let storage = try await StorageBootstrap.prepare(config: config, allowGuest: allowGuest, logger: logger)
        do {
            let dataKey = try storage.dataKey(config: config).withUnsafeBytes { Data($0) }
            let client = PostgresClient(configuration: storage.clientConfiguration, backgroundLogger: logger)
            let database = Database(client: client, logger: logger)
            let cipher = CPRCipher(dataKey: .init(data: dataKey))
            return Runtime(
                config: config, storage: storage, pathways: pathways, database: database, migrator: try Migrator.bundled(), dataKey: dataKey,
                client: client, actors: PostgresActorRepository(database: database), cases: PostgresCaseRepository(database: database, cipher: cipher),
                handoffs: PostgresHandoffRepository(database: database, dueHours: pathways.dueHours, escalationActors: pathways.escalationActors),
                events: pathways.eventRepository(database: database, dataKey: dataKey), audit: PostgresAuditRepository(database: database, cipher: cipher),
                outcomes: PostgresOutcomeRepository(database: database), notifications: PostgresNotificationRepository(database: database),
                subscriptions: PostgresSubscriptionRepository(database: database, dataKey: .init(data: dataKey)))
        } catch {
            storage.cluster?.stop()
            throw error
        }
    }

    /// For a command-line tool: assembles the runtime, brings the schema up to date as `serve` would (or refuses),
    /// runs `body` with the pool running, and shuts everything down.
    public static func run<T: Sendable>(
        config: AppConfiguration, logger: Logger, schema: SchemaPolicy = .asServe, _ body: @escaping @Sendable (Runtime) async throws -> T
    ) async throws -> T {
        let runtime = try await assemble(config: config, allowGuest: true, logger: logger)
        defer { runtime.storage.cluster?.stop() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await runtime.client.run()
                return nil
            }
            group.addTask {
                switch schema {
                case .asServe: try await runtime.prepareSchema(logger: logger)
                case .migrate: try await runtime.migrator.migrate(client: runtime.client, logger: logger)
                }
                return try await body(runtime)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }

    /// What a command does about migrations that are not applied yet.
    public enum SchemaPolicy: Sendable {
        /// As `serve`: apply them on the embedded cluster or when told to (`--migrate`), else refuse.
        case asServe
        /// Apply them (`indgang migrate`).
        case migrate
    }

    /// Migrations run on purpose: by themselves only on the embedded cluster (the one-command start); on a
    /// database of its own, an operator applies them (`indgang migrate`, or `--migrate` / INDGANG_MIGRATE=1), so a
    /// replica of a newer version cannot change a schema older replicas still run on by merely starting.
    func prepareSchema(logger: Logger) async throws {
        if config.migrateAtStart || storage.cluster != nil {
            let applied = try await migrator.migrate(client: client, logger: logger)
            logger.info("database ready", metadata: ["migrations_applied_now": "\(applied.count)"])
            return
        }
        let pending = try await migrator.pending(client: client, logger: logger)
        guard pending.isEmpty else {
            throw ConfigurationError(
                "the database at DATABASE_URL has \(pending.count) pending migration(s) (\(pending.joined(separator: ", "))); apply them with `indgang migrate` (same DATABASE_URL), or start with --migrate (INDGANG_MIGRATE=1)"
            )
        }
        logger.info("database ready", metadata: ["migrations_applied_now": "0"])
    }
}
