import Crypto
import Foundation
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private PostgreSQL cluster under a folder (by default `./.indgang/`), used when no `DATABASE_URL` is
/// set: initialised on first use, reached only through a unix socket with mode 0700, and stopped again by
/// the process that started it. When running as root the cluster runs as the `postgres` system user,
/// because `initdb` refuses root.
///
/// Layout: `<folder>/lock` (held with `flock` by the owning process), `<folder>/data.key` (written by the
/// caller), and `<folder>/cluster/{pgdata,run,postgres.log}` owned by the cluster's user.
public final class EmbeddedPostgres: Sendable {
    public struct Options: Sendable {
        /// Turns off `fsync` for throw-away test clusters; never for `serve`.
        public var durable: Bool = true
        public var superuser: String = "indgang"
        public init(durable: Bool = true) { self.durable = durable }
    }

    public enum Ownership: Sendable {
        /// This process started (or adopted) the cluster and stops it in `stop()`.
        case owner
        /// Another process holds the folder's lock; this one only connects (e.g. `indgang keys create`
        /// while `indgang serve` runs).
        case guest
    }

    public let folder: URL
    public let socketDirectory: String
    public let port = 5432
    public let superuser: String
    public let ownership: Ownership
    private let options: Options
    private let binaries: PostgresBinaries
    private let clusterFolder: URL
    private let runAsPostgresUser: Bool
    private let lockDescriptor: Int32
    private let logger: Logger

    private init(
        folder: URL, clusterFolder: URL, socketDirectory: String, options: Options, ownership: Ownership,
        binaries: PostgresBinaries, runAsPostgresUser: Bool, lockDescriptor: Int32, logger: Logger
    ) {
        self.folder = folder
        self.clusterFolder = clusterFolder
        self.socketDirectory = socketDirectory
        self.superuser = options.superuser
        self.options = options
        self.ownership = ownership
        self.binaries = binaries
        self.runAsPostgresUser = runAsPostgresUser
        self.lockDescriptor = lockDescriptor
        self.logger = logger
    }

    /// Starts the cluster (initialising it first if needed) and takes the folder's lock.
    /// With `allowGuest`, a folder whose lock another process holds is joined instead of refused.
    public static func start(
        in folder: URL, options: Options = .init(), allowGuest: Bool = false, logger: Logger
    ) throws -> EmbeddedPostgres {
        let binaries = try PostgresBinaries.locate()
        let fileManager = FileManager.default
        let asRoot = geteuid() == 0
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        // As root the postgres user must be able to pass through the folder, but not read it (data.key).
        chmod(folder.path, asRoot ? 0o711 : 0o700)

        let lockPath = folder.appendingPathComponent("lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        let owner = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        let lockHolder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !owner {
            close(descriptor)
            guard allowGuest else {
                throw ConfigurationError(
                    "another Indgang process (pid \(lockHolder ?? "?")) is already using the embedded database in \(folder.path); stop it first, or set DATABASE_URL"
                )
            }
        } else {
            ftruncate(descriptor, 0)
            let pid = "\(getpid())\n"
            _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        }

        let clusterFolder: URL
        let socketDirectory: String
        do {
            clusterFolder = try Self.clusterFolder(for: folder, asRoot: asRoot)
            socketDirectory = try Self.socketDirectory(for: clusterFolder, asRoot: asRoot)
        } catch {
            if owner { close(descriptor) }
            throw error
        }
        let cluster = EmbeddedPostgres(
            folder: folder, clusterFolder: clusterFolder, socketDirectory: socketDirectory, options: options,
            ownership: owner ? .owner : .guest, binaries: binaries, runAsPostgresUser: asRoot,
            lockDescriptor: owner ? descriptor : -1, logger: logger
        )
        if owner {
            do {
                try cluster.initialiseIfNeeded(options: options)
                try cluster.startServer()
            } catch {
                cluster.releaseLock()
                throw error
            }
        }
        return cluster
    }

    /// How `pg_ctl stop` ends the server: `fast` rolls back open transactions and checkpoints; `immediate` is a
    /// crash as far as the data is concerned (recovery from the WAL at the next start).
    public enum ShutdownMode: String, Sendable {
        case fast, immediate
    }

    /// Stops the server and keeps the folder's lock, so `startServer()` can bring it back (fault tests).
    public func stopServer(mode: ShutdownMode) throws {
        let result = try runClusterCommand([binaries.pgCtl, "stop", "-D", dataDirectory, "-m", mode.rawValue, "-w", "-t", "60"])
        guard result.status == 0 else { throw ConfigurationError("pg_ctl stop failed (exit \(result.status)):\n\(result.output)") }
        logger.info("embedded PostgreSQL stopped")
    }

    /// A client configuration for `database` on this cluster.
    public func configuration(database: String) -> PostgresClient.Configuration {
        .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: superuser, password: nil, database: database)
    }

    /// A `DATABASE_URL` for this cluster, for child processes and tools such as psql.
    public func url(database: String) -> String {
        "postgres://\(superuser)@localhost:\(port)/\(database)?host=\(socketDirectory)"
    }

    /// Creates `database` if it does not exist yet.
    public func ensureDatabase(_ database: String, template: String? = nil) async throws {
        let client = PostgresClient(configuration: configuration(database: "postgres"), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let exists = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(database)", logger: logger)
                .collect().count > 0
            if !exists {
                // Identifiers cannot be bound parameters; the name is validated to be a plain identifier.
                guard database.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                    template?.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) ?? true
                else { throw ConfigurationError("database name \(database) must be letters, digits and underscores") }
                let templateClause = template.map { " TEMPLATE \($0)" } ?? ""
                // A template is copied only while no one is connected to it; a client that has just finished with it
                // may take a moment to close its connections (55006, object in use).
                for attempt in 1... {
                    do {
                        try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)\(templateClause)"), logger: logger)
                        break
                    } catch let error as PSQLError where error.sqlState == "55006" && attempt < 50 {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
        }
    }

    /// Stops the cluster if this process owns it, then releases the folder's lock.
    public func stop() {
        guard ownership == .owner, lockDescriptor >= 0 else { return }
        do {
            try stopServer(mode: .fast)
        } catch {
            logger.warning("pg_ctl stop failed", metadata: ["error": "\(error)"])
        }
        releaseLock()
    }

    private func releaseLock() {
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    private var dataDirectory: String { clusterFolder.appendingPathComponent("pgdata").path }

    private func initialiseIfNeeded(options: Options) throws {
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: "\(dataDirectory)/PG_VERSION") else { return }
        if fileManager.fileExists(atPath: dataDirectory) {
            // A half-finished initdb (killed mid-way) leaves a folder initdb refuses; it holds no data yet.
            try fileManager.removeItem(atPath: dataDirectory)
        }
        logger.info("initialising embedded PostgreSQL", metadata: ["folder": "\(clusterFolder.path)", "version": "\(binaries.majorVersion)"])
        let result = try runClusterCommand([
            binaries.initdb, "-D", dataDirectory, "-U", options.superuser, "--auth=trust", "--encoding=UTF8",
            "--locale=C", "--no-instructions",
        ])
        guard result.status == 0 else {
            throw ConfigurationError("initdb failed (exit \(result.status)):\n\(result.output)")
        }
        let settings = """

            # Written by Indgang: reachable only through the unix socket below.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory)'
            unix_socket_permissions = 0700
            port = \(port)
            max_connections = 200
            shared_buffers = 256MB
            logging_collector = off

            """
        let confPath = "\(dataDirectory)/postgresql.conf"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: confPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
    }

    /// Starts the server unless it runs already (left running by a killed process that held the lock before).
    public func startServer() throws {
        let status = try runClusterCommand([binaries.pgCtl, "status", "-D", dataDirectory])
        if status.status == 0 {
            // Left running by a process that was killed; it is ours (we hold the lock), so adopt it.
            logger.info("adopting running embedded PostgreSQL", metadata: ["folder": "\(clusterFolder.path)"])
            return
        }
        var serverOptions = "-c unix_socket_directories='\(socketDirectory)'"
        if !options.durable {
            // A test run starts hundreds of short-lived applications in parallel, each with its own pools
            // (writes, audited reads, group commits); 200 connections ran out (SQLSTATE 53300).
            serverOptions += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=1000"
        }
        let logFile = clusterFolder.appendingPathComponent("postgres.log").path
        let result = try runClusterCommand([binaries.pgCtl, "start", "-D", dataDirectory, "-w", "-t", "120", "-l", logFile, "-o", serverOptions])
        guard result.status == 0 else {
            let tail = (try? String(contentsOfFile: logFile, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
            throw ConfigurationError("embedded PostgreSQL did not start (exit \(result.status)):\n\(result.output)\n\(tail)")
        }
        logger.info("embedded PostgreSQL started", metadata: ["socket": "\(socketDirectory)"])
    }

    private func runClusterCommand(_ arguments: [String]) throws -> ProcessRunner.Result {
        guard runAsPostgresUser else { return try ProcessRunner.run(arguments) }
        guard let runuser = ProcessRunner.which("runuser") else {
            throw ConfigurationError("running as root needs `runuser` (util-linux) to start PostgreSQL as the postgres user")
        }
        return try ProcessRunner.run([runuser, "-u", "postgres", "--"] + arguments)
    }

    /// `<folder>/cluster`, owned by the user PostgreSQL runs as. When root's folder is out of the postgres
    /// user's reach (e.g. under /root), the cluster lives in /var/tmp instead, keyed by the folder's path.
    private static func clusterFolder(for folder: URL, asRoot: Bool) throws -> URL {
        guard asRoot else {
            let cluster = folder.appendingPathComponent("cluster")
            try PrivateFolder.make(cluster.path)
            return cluster
        }
        let owner = try postgresUser()
        let cluster = postgresUserCanReach(folder) ? folder.appendingPathComponent("cluster") : sharedClusterFolder(for: folder)
        try PrivateFolder.make(cluster.path, owner: owner)
        return cluster
    }

    /// The predictable /var/tmp folder of a root-owned `folder` the postgres user cannot reach: checked by
    /// `PrivateFolder`, never followed if someone planted a link there.
    static func sharedClusterFolder(for folder: URL) -> URL {
        URL(fileURLWithPath: "/var/tmp/indgang-\(Data(SHA256.hash(data: Data(folder.standardizedFileURL.path.utf8)).prefix(6)).hex)")
    }

    private static func postgresUser() throws -> PrivateFolder.Owner {
        guard let postgresUser = getpwnam("postgres") else {
            throw ConfigurationError("running as root needs the `postgres` system user (installed with PostgreSQL) to run the cluster")
        }
        return .init(uid: postgresUser.pointee.pw_uid, gid: postgresUser.pointee.pw_gid)
    }

    private static func postgresUserCanReach(_ folder: URL) -> Bool {
        guard let runuser = ProcessRunner.which("runuser") else { return false }
        return (try? ProcessRunner.run([runuser, "-u", "postgres", "--", "test", "-x", folder.path]).status) == 0
    }

    /// Unix socket paths are limited to 107 bytes; a deep folder gets a short socket folder in /tmp.
    private static func socketDirectory(for clusterFolder: URL, asRoot: Bool) throws -> String {
        let owner = asRoot ? try postgresUser() : nil
        let preferred = clusterFolder.appendingPathComponent("run").path
        let chosen = (preferred + "/.s.PGSQL.5432").utf8.count < 100 ? preferred : "/tmp/indgang-\(Data(SHA256.hash(data: Data(preferred.utf8)).prefix(6)).hex)"
        try PrivateFolder.make(chosen, owner: owner)
        return chosen
    }
}
