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
    let client: PostgresClient
    /// The standby's pool (`INDGANG_READ_DATABASE_URL`), run by `serve` beside `client`; nil without one.
    let readClient: PostgresClient?

    public let actors: PostgresActorRepository
    public let handoffs: PostgresHandoffRepository
    public let outcomes: PostgresOutcomeRepository
    /// Where outcome figures are read: the standby while it is fresh enough, else the primary.
    public let outcomeReads: OutcomeReadRouter
    public let notifications: PostgresNotificationRepository
    /// What needs the data key (CPR sealing, the blind index, webhook secrets); absent for a tool that does not
    /// touch personal data (`migrate`, `keys create`, `outcomes rebuild`), so those need no `INDGANG_DATA_KEY`.
    private let sealed: Sealed?

    /// The repositories that seal or unseal: cases, events, audit, subscriptions, with the key they use.
    public struct Sealed: Sendable {
        public let dataKey: Data
        public let cases: PostgresCaseRepository
        public let events: PostgresEventRepository
        public let audit: PostgresAuditRepository
        public let subscriptions: PostgresSubscriptionRepository
    }

    /// The sealing repositories, or why there are none.
    public func sealedRepositories() throws -> Sealed {
        guard let sealed else { throw ConfigurationError("this command needs INDGANG_DATA_KEY") }
        return sealed
    }

    /// Assembles everything; the connection pool runs once `run(_:)` (tools) or the server's services (serve) run it.
    /// Broken rule files stop it before anything else happens. With `allowGuest`, a tool joins the embedded cluster
    /// of a running `indgang serve` instead of failing. Without `needsDataKey`, a missing key with `DATABASE_URL`
    /// leaves out the sealing repositories instead of stopping.
    static func assemble(config: AppConfiguration, allowGuest: Bool, needsDataKey: Bool = true, logger: Logger) async throws -> Runtime {
        let pathways = try PathwayCatalog.load(extraFolder: config.pathwaysFolder)
        let storage = try await StorageBootstrap.prepare(config: config, allowGuest: allowGuest, logger: logger)
        do {
            let client = PostgresClient(configuration: storage.clientConfiguration, backgroundLogger: logger)
            let database = Database(client: client, logger: logger)
            // One committer for the audit rows of every read, so concurrent reads of any kind share commits.
            let audits = AuditCommitter(database: database)
            let readClient = storage.readClientConfiguration.map { PostgresClient(configuration: $0, backgroundLogger: logger) }
            let outcomes = PostgresOutcomeRepository(database: database)
            let standby = readClient.map { Database(client: $0, logger: logger) }
            let outcomeReads = OutcomeReadRouter(
                primary: outcomes, standby: standby.map { (PostgresOutcomeRepository(database: $0), $0) }, maxLag: config.readMaxLag, logger: logger)
            var sealed: Sealed?
            if needsDataKey || config.dataKey != nil || storage.cluster != nil {
                let dataKey = try storage.dataKey(config: config).withUnsafeBytes { Data($0) }
                let cipher = CPRCipher(dataKey: .init(data: dataKey))
                sealed = Sealed(
                    dataKey: dataKey, cases: PostgresCaseRepository(database: database, cipher: cipher, ruleSet: pathways.ruleSet, audits: audits),
                    events: pathways.eventRepository(database: database, dataKey: dataKey), audit: PostgresAuditRepository(database: database, cipher: cipher, audits: audits),
                    subscriptions: PostgresSubscriptionRepository(database: database, dataKey: .init(data: dataKey)))
            }
            return Runtime(
                config: config, storage: storage, pathways: pathways, database: database, migrator: try Migrator.bundled(), client: client,
                readClient: readClient,
                actors: PostgresActorRepository(database: database),
                handoffs: PostgresHandoffRepository(database: database, dueHours: pathways.dueHours, escalationActors: pathways.escalationActors, audits: audits),
                outcomes: outcomes, outcomeReads: outcomeReads, notifications: PostgresNotificationRepository(database: database, audits: audits), sealed: sealed)
        } catch {
            storage.cluster?.stop()
            throw error
        }
    }

    /// For a command-line tool: assembles the runtime, brings the schema up to date as `serve` would (or refuses),
    /// runs `body` with the pool running, and shuts everything down.
    public static func run<T: Sendable>(
        config: AppConfiguration, logger: Logger, schema: SchemaPolicy = .asServe, needsDataKey: Bool = false,
        _ body: @escaping @Sendable (Runtime) async throws -> T
    ) async throws -> T {
        let runtime = try await assemble(config: config, allowGuest: true, needsDataKey: needsDataKey, logger: logger)
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
        // The embedded cluster migrates by itself when this process owns it; a tool that joins a running server's
        // cluster (a guest) must not change the schema under it.
        if config.migrateAtStart || storage.cluster?.ownership == .owner {
            let applied = try await migrator.migrate(client: client, logger: logger)
            logger.info("database ready", metadata: ["migrations_applied_now": "\(applied.count)"])
            return
        }
        let pending = try await migrator.pending(client: client, logger: logger)
        guard pending.isEmpty else {
            let place = storage.cluster == nil ? "the database at DATABASE_URL" : "the embedded database (a running indgang serve owns it)"
            throw ConfigurationError(
                "\(place) has \(pending.count) pending migration(s) (\(pending.joined(separator: ", "))); apply them with `indgang migrate` (same DATABASE_URL), or start with --migrate (INDGANG_MIGRATE=1)"
            )
        }
        logger.info("database ready", metadata: ["migrations_applied_now": "0"])
    }
}
