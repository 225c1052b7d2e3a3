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
    /// `INDGANG_ADMIN_KEY` (string, optional): a bootstrap admin key, bound to no actor.
    public var adminKey: String?
    /// `INDGANG_DATA_KEY` (base64 of 32 bytes): seals CPR numbers. Embedded mode creates `<dataFolder>/data.key`
    /// when it is unset; with `DATABASE_URL` it is required.
    public var dataKey: String?
    /// `INDGANG_DATA_DIR` (path, default `./.indgang`): where the embedded cluster and its data key live.
    public var dataFolder: URL = URL(fileURLWithPath: ".indgang")
    /// `INDGANG_SCHEDULER_INTERVAL` (seconds, default 30): time between deadline sweeps.
    public var schedulerInterval: Duration = .seconds(30)
    /// `INDGANG_WEBHOOK_BACKOFF` (comma-separated seconds, default `5,300,1800,7200,18000,36000,36000`, about 27 h
    /// in all): the waits between attempts; after the last, a delivery is `failed`.
    public var webhookBackoff: [Duration] = [5, 300, 1800, 7200, 18000, 36000, 36000].map { .seconds($0) }
    /// `INDGANG_WEBHOOK_ALLOW_PRIVATE` (`1` to allow webhook URLs on loopback or private addresses; default off).
    public var webhookAllowPrivate: Bool = false
    /// `INDGANG_STREAM_HEARTBEAT` (seconds, default 15): idle time after which the live stream sends a heartbeat.
    public var streamHeartbeat: Duration = .seconds(15)
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
        var config = AppConfiguration()
        config.databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        config.adminKey = environment["INDGANG_ADMIN_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        config.dataKey = environment["INDGANG_DATA_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let folder = environment["INDGANG_DATA_DIR"], !folder.isEmpty {
            config.dataFolder = URL(fileURLWithPath: folder)
        }
        if let interval = environment["INDGANG_SCHEDULER_INTERVAL"] {
            guard let seconds = Double(interval), seconds > 0 else {
                throw ConfigurationError("INDGANG_SCHEDULER_INTERVAL must be a positive number of seconds, not \(interval)")
            }
            config.schedulerInterval = .milliseconds(Int64(seconds * 1000))
        }
        if let backoff = environment["INDGANG_WEBHOOK_BACKOFF"] {
            let steps = backoff.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !steps.isEmpty, steps.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ConfigurationError("INDGANG_WEBHOOK_BACKOFF must be comma-separated seconds, not \(backoff)")
            }
            config.webhookBackoff = steps.compactMap { $0 }.map { .milliseconds(Int64($0 * 1000)) }
        }
        config.webhookAllowPrivate = environment["INDGANG_WEBHOOK_ALLOW_PRIVATE"] == "1"
        if let heartbeat = environment["INDGANG_STREAM_HEARTBEAT"] {
            guard let seconds = Double(heartbeat), seconds > 0 else {
                throw ConfigurationError("INDGANG_STREAM_HEARTBEAT must be a positive number of seconds, not \(heartbeat)")
            }
            config.streamHeartbeat = .milliseconds(Int64(seconds * 1000))
        }
        if let level = environment["LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = parsed
        }
        return config
    }
}
