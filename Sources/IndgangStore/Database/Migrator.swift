import Crypto
import Foundation
import IndgangSchema
import Logging
import PostgresNIO

/// Applies `Schema/migrations/NNNN_name.sql` in order, forward-only, each in its own transaction, under a
/// PostgreSQL advisory lock so that several replicas starting at once serialise instead of racing.
/// Applied files are recorded with a checksum; editing an applied migration is refused.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
        public var checksum: String {
            Data(SHA256.hash(data: Data(sql.utf8))).hex
        }
    }

    /// An arbitrary constant shared by every Indgang process: "indgang" in ASCII.
    static let advisoryLockKey: Int64 = 0x69_6e_64_67_61_6e_67

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The migrations shipped in the binary's resources.
    public static func bundled() throws -> Migrator {
        let migrations = try SchemaResources.migrationFiles().map { url -> Migration in
            let file = url.lastPathComponent
            guard let version = Int(file.prefix { $0.isNumber }), file.first?.isNumber == true else {
                throw ConfigurationError("migration file \(file) must start with its number, e.g. 0001_core.sql")
            }
            let name = String(file.dropFirst(file.prefix { $0.isNumber }.count + 1).dropLast(4))
            return Migration(version: version, name: name, sql: try String(contentsOf: url, encoding: .utf8))
        }
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else { throw ConfigurationError("two migration files share a number") }
        return Migrator(migrations: migrations)
    }

    /// Applies what is missing; returns the versions it applied.
    @discardableResult
    public func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            // A migration may rewrite a large table: the pool's statement and lock timeouts do not apply to it
            // (restored before the connection goes back to the pool).
            try await connection.query("SET statement_timeout = 0", logger: logger)
            try await connection.query("SET lock_timeout = 0", logger: logger)
            let outcome: Result<[Int], any Error>
            do {
                try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
                do {
                    let applied = try await apply(on: connection, logger: logger)
                    try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                    outcome = .success(applied)
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                    throw error
                }
            } catch {
                outcome = .failure(error)
            }
            _ = try? await connection.query("RESET statement_timeout", logger: logger)
            _ = try? await connection.query("RESET lock_timeout", logger: logger)
            return try outcome.get()
        }
    }

    private func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
            logger: logger
        )
        var recorded: [Int: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = checksum
        }
        var appliedNow: [Int] = []
        for migration in migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw ConfigurationError(
                        "migration \(migration.version)_\(migration.name) was changed after it was applied; migrations are forward-only: add a new file instead"
                    )
                }
                continue
            }
            logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            try await connection.withTransaction(logger: logger) { connection in
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                    logger: logger
                )
            }
            appliedNow.append(migration.version)
        }
        return appliedNow
    }

    /// The bundled migrations not yet applied, as `version_name` (all of them on a database without the table).
    public func pending(client: PostgresClient, logger: Logger) async throws -> [String] {
        var applied: [Int: String] = [:]
        do {
            let rows = try await client.query("SELECT version, checksum FROM schema_migrations", logger: logger)
            for try await (version, checksum) in rows.decode((Int, String).self) { applied[version] = checksum }
        } catch let error as PSQLError where error.sqlState == "42P01" {
            applied = [:]  // no schema_migrations table: a database Indgang has never migrated
        }
        // As when applying: a migration changed after it was applied is refused, not silently accepted.
        for migration in migrations {
            if let checksum = applied[migration.version], checksum != migration.checksum {
                throw ConfigurationError(
                    "migration \(migration.version)_\(migration.name) was changed after it was applied; migrations are forward-only: add a new file instead")
            }
        }
        return migrations.filter { applied[$0.version] == nil }.map { migration in
            String(repeating: "0", count: max(0, 4 - String(migration.version).count)) + "\(migration.version)_\(migration.name)"
        }
    }

    /// True when every bundled migration is recorded as applied (what `/readyz` checks).
    public func isCurrent(client: PostgresClient, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            "SELECT count(*)::int FROM schema_migrations WHERE version = ANY(\(migrations.map(\.version)))", logger: logger)
        for try await count in rows.decode(Int.self) {
            return count == migrations.count
        }
        return false
    }
}
