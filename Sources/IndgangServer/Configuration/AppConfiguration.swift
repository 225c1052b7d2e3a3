import Configuration
import Foundation
import IndgangStore
import Logging

/// Everything the service reads from its environment, read once. Flags of `indgang serve` override the
/// environment; each key is documented here where it is read, and in the README's configuration table.
public struct AppConfiguration: Sendable {
    /// `--host`, default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// `--port`, default `8080`.
    public var port: Int = 8080
    /// `DATABASE_URL` (string, optional): an external PostgreSQL 15+. Unset: an embedded cluster under `dataFolder`.
    public var databaseURL: String?
    /// `INDGANG_READ_DATABASE_URL` (string, optional): a streaming standby that answers outcome figures and CSV while
    /// it lags at most `readMaxLag`; writes and LISTEN always use `DATABASE_URL`.
    public var readDatabaseURL: String?
    /// `INDGANG_READ_MAX_LAG` (seconds, default 60): above this lag, outcome figures come from the primary.
    public var readMaxLag: Duration = .seconds(60)
    /// `INDGANG_AUDIT_RETENTION_MONTHS` (whole months, at least 6; default unset = keep every month): audit log months
    /// that ended this many months before the current one are dropped whole.
    public var auditRetentionMonths: Int?
    /// `INDGANG_ADMIN_KEY` (string, optional): a bootstrap admin key, bound to no actor.
    public var adminKey: String?
    /// `INDGANG_DATA_KEY` (base64 of 32 bytes): seals CPR numbers. Embedded mode creates `<dataFolder>/data.key`
    /// when it is unset; with `DATABASE_URL` it is required.
    public var dataKey: String?
    /// `INDGANG_DATA_DIR` (path, default `./.indgang`): where the embedded cluster and its data key live.
    public var dataFolder: URL = URL(fileURLWithPath: ".indgang")
    /// `INDGANG_PATHWAYS_DIR` (path, optional): a folder of extra rule files (`*.yaml`, e.g. a municipality's variant),
    /// loaded after the built-in ones and checked with them; a file that does not validate stops the start.
    public var pathwaysFolder: URL?
    /// `INDGANG_SCHEDULER_INTERVAL` (seconds, default 30): time between deadline sweeps.
    public var schedulerInterval: Duration = .seconds(30)
    /// `INDGANG_WEBHOOK_BACKOFF` (comma-separated seconds, default `5,300,1800,7200,18000,36000,36000`, about 27 h
    /// in all): the waits between attempts; after the last, a delivery is `failed`.
    public var webhookBackoff: [Duration] = [5, 300, 1800, 7200, 18000, 36000, 36000].map { .seconds($0) }
    /// `INDGANG_WEBHOOK_ALLOW_PRIVATE` (`1` to allow webhook URLs on loopback or private addresses; default off).
    public var webhookAllowPrivate: Bool = false
    /// Where webhook hosts are looked up: the system resolver; tests substitute answers. Not configurable.
    var hostResolver: any HostResolver = SystemHostResolver()
    /// `INDGANG_CONSOLE_INSECURE_COOKIE` (`1` to send the console's cookies without `Secure`, for plain http on
    /// loopback; default off).
    public var consoleInsecureCookie: Bool = false
    /// `INDGANG_STREAMS_PER_KEY` (1–1000, default 5): live streams one key (or its console sessions) may hold open.
    public var streamsPerKey: Int = 5
    /// `INDGANG_STATEMENT_TIMEOUT` (seconds, default 30; 0 = none): the longest one SQL statement may run
    /// (`statement_timeout`); a request whose statement is cancelled answers 503 with `Retry-After`.
    public var statementTimeout: Duration = .seconds(30)
    /// `INDGANG_LOCK_TIMEOUT` (seconds, default 10; 0 = none): the longest a statement waits for a lock.
    public var lockTimeout: Duration = .seconds(10)
    /// `INDGANG_STREAM_HEARTBEAT` (seconds, default 15): idle time after which the live stream sends a heartbeat.
    public var streamHeartbeat: Duration = .seconds(15)
    /// `INDGANG_HTTP_IDLE_TIMEOUT` (seconds, default 30): a connection that has not sent a whole request head
    /// within this long (after connecting, or after its last answer), or whose upload stalls this long, is closed.
    public var httpIdleTimeout: Duration = .seconds(30)
    /// `INDGANG_SHUTDOWN_GRACE` (seconds, default 20): after SIGTERM/SIGINT, how long requests in flight may take to
    /// finish (live streams end at once); then what is left is cancelled, and the process exits at most 5 s later.
    public var shutdownGrace: Duration = .seconds(20)
    /// `INDGANG_MIGRATE` (`1` to apply pending migrations at start; default off): with `DATABASE_URL`, `serve`
    /// refuses to start on a database with pending migrations unless told to apply them (or `indgang migrate` ran
    /// first). The embedded cluster is always migrated at start.
    public var migrateAtStart: Bool = false
    /// `LOG_LEVEL` (trace, debug, info, notice, warning, error, critical; default info).
    public var logLevel: Logger.Level = .info
    /// The channel the key-cache listener hears changes on. Not configurable from outside: tests point it at a
    /// channel nobody notifies to play a listener that died silently.
    public var principalChangeChannel: String = "indgang_principals"
    /// Embedded clusters for tests trade durability for speed; `serve` never does.
    public var embeddedDurable: Bool = true

    public init() {}

    /// Reads the environment; malformed values are reported by name instead of silently replaced by defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        try read(flags: [:], environment: environment)
    }

    /// Reads the settings with apple/swift-configuration: the command line's flags (`flags`, by variable name) win
    /// over the environment, which wins over the defaults here. Secrets (`DATABASE_URL` may hold a password, the
    /// keys) are read as secrets, so an access reporter never prints them. A malformed value stops the start with
    /// the variable's name instead of being replaced by the default.
    public static func read(flags: [String: String], environment: [String: String]) throws -> AppConfiguration {
        let secrets = SecretsSpecifier<String, String>.specific(["DATABASE_URL", "INDGANG_READ_DATABASE_URL", "INDGANG_ADMIN_KEY", "INDGANG_DATA_KEY"])
        let settings = Settings(
            reader: ConfigReader(providers: [
                // An empty value means "not set" and falls through to the next provider (a provider that has a key
                // answers for it, even with "").
                EnvironmentVariablesProvider(environmentVariables: flags.filter { !$0.value.isEmpty }, secretsSpecifier: secrets),
                EnvironmentVariablesProvider(environmentVariables: environment.filter { !$0.value.isEmpty }, secretsSpecifier: secrets),
            ]))
        var config = AppConfiguration()
        config.databaseURL = settings.text("database.url", secret: true)
        config.readDatabaseURL = settings.text("indgang.read.database.url", secret: true)
        if let lag = settings.text("indgang.read.max.lag") {
            config.readMaxLag = try seconds("INDGANG_READ_MAX_LAG", lag, within: 0...86_400)
        }
        config.adminKey = settings.text("indgang.admin.key", secret: true)
        config.dataKey = settings.text("indgang.data.key", secret: true)
        if let folder = settings.text("indgang.data.dir") { config.dataFolder = URL(fileURLWithPath: folder) }
        if let folder = settings.text("indgang.pathways.dir") { config.pathwaysFolder = URL(fileURLWithPath: folder) }
        if let interval = settings.text("indgang.scheduler.interval") {
            config.schedulerInterval = try seconds("INDGANG_SCHEDULER_INTERVAL", interval, within: 0.1...86_400)
        }
        if let backoff = settings.text("indgang.webhook.backoff") {
            let steps = backoff.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            config.webhookBackoff = try steps.map { try seconds("INDGANG_WEBHOOK_BACKOFF", $0, within: 0...604_800, whole: backoff) }
        }
        config.webhookAllowPrivate = settings.text("indgang.webhook.allow.private") == "1"
        config.consoleInsecureCookie = settings.text("indgang.console.insecure.cookie") == "1"
        config.migrateAtStart = settings.text("indgang.migrate") == "1"
        if let text = settings.text("indgang.audit.retention.months") {
            guard let value = Int(text), (AuditPartitions.minimumRetentionMonths...1200).contains(value) else {
                throw ConfigurationError("INDGANG_AUDIT_RETENTION_MONTHS must be a whole number of months from 6 to 1200, not \(text)")
            }
            config.auditRetentionMonths = value
        }
        if let text = settings.text("indgang.streams.per.key") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw ConfigurationError("INDGANG_STREAMS_PER_KEY must be a whole number from 1 to 1000, not \(text)")
            }
            config.streamsPerKey = value
        }
        if let timeout = settings.text("indgang.statement.timeout") {
            config.statementTimeout = try seconds("INDGANG_STATEMENT_TIMEOUT", timeout, within: 0...86_400)
        }
        if let timeout = settings.text("indgang.lock.timeout") {
            config.lockTimeout = try seconds("INDGANG_LOCK_TIMEOUT", timeout, within: 0...86_400)
        }
        if let heartbeat = settings.text("indgang.stream.heartbeat") {
            config.streamHeartbeat = try seconds("INDGANG_STREAM_HEARTBEAT", heartbeat, within: 0.1...3_600)
        }
        if let timeout = settings.text("indgang.http.idle.timeout") {
            config.httpIdleTimeout = try seconds("INDGANG_HTTP_IDLE_TIMEOUT", timeout, within: 1...3_600)
        }
        if let grace = settings.text("indgang.shutdown.grace") {
            config.shutdownGrace = try seconds("INDGANG_SHUTDOWN_GRACE", grace, within: 1...3_600)
        }
        if let level = settings.text("log.level") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = parsed
        }
        return config
    }

    /// The reader, with an empty value meaning "not set" (as a shell's `VAR=` does).
    private struct Settings {
        let reader: ConfigReader

        /// `key` is dotted (`indgang.data.dir`); the providers read it as `INDGANG_DATA_DIR`.
        func text(_ key: String, secret: Bool = false) -> String? {
            reader.string(forKey: ConfigKey(key), isSecret: secret).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// A number of seconds within `range`, finite ("inf" and "nan" parse as numbers): near-zero intervals would
    /// busy-loop and infinite ones crash the conversion, so both are refused at start with the variable's name.
    static func seconds(_ name: String, _ text: String, within range: ClosedRange<Double>, whole: String? = nil) throws -> Duration {
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw ConfigurationError(
                "\(name) must be \(whole == nil ? "a number" : "comma-separated numbers") of seconds from \(range.lowerBound) to \(range.upperBound), not \(whole ?? text)")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}
