import ArgumentParser
import Foundation
import IndgangServer
import Logging

/// The environment's settings as flags; a flag wins over its environment variable.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (env DATABASE_URL). Without it an embedded cluster runs under --data-dir.")
    var databaseURL: String?
    @Option(help: "Keep the audit log this many whole months (at least 6), dropping older months (env INDGANG_AUDIT_RETENTION_MONTHS; default: keep all).")
    var auditRetentionMonths: Int?
    @Option(help: "PostgreSQL URL of a streaming standby for outcome figures (env INDGANG_READ_DATABASE_URL); writes and LISTEN stay on DATABASE_URL.")
    var readDatabaseURL: String?
    @Option(help: "Seconds a standby may lag before outcome figures come from the primary (env INDGANG_READ_MAX_LAG, default 60).")
    var readMaxLag: Double?

    @Option(help: "Folder of the embedded cluster and its data key (env INDGANG_DATA_DIR, default ./.indgang).")
    var dataDir: String?

    @Option(help: "Bootstrap admin API key (env INDGANG_ADMIN_KEY). Prefer the environment: flags show in `ps`.")
    var adminKey: String?

    @Option(help: "Base64 of the 32-byte key that seals CPR numbers (env INDGANG_DATA_KEY). Prefer the environment.")
    var dataKey: String?

    @Flag(help: "Apply pending migrations at start; with DATABASE_URL, serve refuses to start on pending ones without it (env INDGANG_MIGRATE=1).")
    var migrate = false

    @Option(help: "A folder of extra pathway rule files, e.g. a municipality's variant (env INDGANG_PATHWAYS_DIR).")
    var pathwaysDir: String?

    @Option(help: "Seconds between deadline sweeps (env INDGANG_SCHEDULER_INTERVAL, default 30).")
    var schedulerInterval: Double?

    @Option(help: "Comma-separated seconds between webhook attempts (env INDGANG_WEBHOOK_BACKOFF).")
    var webhookBackoff: String?

    @Flag(help: "Allow webhook URLs on loopback or private addresses (env INDGANG_WEBHOOK_ALLOW_PRIVATE=1).")
    var webhookAllowPrivate = false

    @Flag(help: "Send the console's cookies without Secure, for plain http on loopback (env INDGANG_CONSOLE_INSECURE_COOKIE=1).")
    var consoleInsecureCookie = false

    @Option(help: "Seconds of silence after which the live stream sends a heartbeat (env INDGANG_STREAM_HEARTBEAT, default 15).")
    var streamHeartbeat: Double?

    @Option(help: "Live streams one key may hold open (env INDGANG_STREAMS_PER_KEY, default 5).")
    var streamsPerKey: Int?

    @Option(help: "Seconds one SQL statement may run; 0 for no limit (env INDGANG_STATEMENT_TIMEOUT, default 30).")
    var statementTimeout: Double?

    @Option(help: "Seconds a statement may wait for a lock; 0 for no limit (env INDGANG_LOCK_TIMEOUT, default 10).")
    var lockTimeout: Double?

    @Option(help: "Seconds a connection may take to send a request head, or sit idle (env INDGANG_HTTP_IDLE_TIMEOUT, default 30).")
    var httpIdleTimeout: Double?

    @Option(help: "Seconds requests in flight may take to finish after SIGTERM (env INDGANG_SHUTDOWN_GRACE, default 20).")
    var shutdownGrace: Double?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL, default info).")
    var logLevel: String?

    func resolve() throws -> AppConfiguration {
        // The flags given, by the variable each overrides; AppConfiguration reads them before the environment.
        var flags: [String: String] = [:]
        flags["DATABASE_URL"] = databaseURL
        flags["INDGANG_AUDIT_RETENTION_MONTHS"] = auditRetentionMonths.map { String($0) }
        flags["INDGANG_READ_DATABASE_URL"] = readDatabaseURL
        flags["INDGANG_READ_MAX_LAG"] = readMaxLag.map { String($0) }
        flags["INDGANG_DATA_DIR"] = dataDir
        flags["INDGANG_ADMIN_KEY"] = adminKey
        flags["INDGANG_DATA_KEY"] = dataKey
        flags["INDGANG_SCHEDULER_INTERVAL"] = schedulerInterval.map { String($0) }
        flags["INDGANG_PATHWAYS_DIR"] = pathwaysDir
        flags["INDGANG_WEBHOOK_BACKOFF"] = webhookBackoff
        if webhookAllowPrivate { flags["INDGANG_WEBHOOK_ALLOW_PRIVATE"] = "1" }
        if consoleInsecureCookie { flags["INDGANG_CONSOLE_INSECURE_COOKIE"] = "1" }
        if migrate { flags["INDGANG_MIGRATE"] = "1" }
        flags["INDGANG_STREAM_HEARTBEAT"] = streamHeartbeat.map { String($0) }
        flags["INDGANG_STREAMS_PER_KEY"] = streamsPerKey.map { String($0) }
        flags["INDGANG_STATEMENT_TIMEOUT"] = statementTimeout.map { String($0) }
        flags["INDGANG_LOCK_TIMEOUT"] = lockTimeout.map { String($0) }
        flags["INDGANG_HTTP_IDLE_TIMEOUT"] = httpIdleTimeout.map { String($0) }
        flags["INDGANG_SHUTDOWN_GRACE"] = shutdownGrace.map { String($0) }
        flags["LOG_LEVEL"] = logLevel
        let config = try AppConfiguration.read(flags: flags, environment: ProcessInfo.processInfo.environment)
        Indgang.bootstrapLogging(level: config.logLevel)
        return config
    }
}
