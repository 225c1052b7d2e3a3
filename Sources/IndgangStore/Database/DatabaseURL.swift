import Foundation
import NIOSSL
import PostgresNIO

/// Parses `DATABASE_URL` (`postgres://user:password@host:port/database?sslmode=…`) into a client
/// configuration. A `host` query parameter that is a directory means a unix socket, as libpq does.
public enum DatabaseURL {
    public static func configuration(from urlString: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: urlString),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw ConfigurationError("DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? username : path
        let port = components.port ?? 5432

        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            return .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError("DATABASE_URL has no host")
        }
        // libpq's sslmode meanings: `require` encrypts without checking the certificate, `verify-ca` checks the
        // chain, `verify-full` the chain and the host name (the production setting, with `sslrootcert` naming the
        // CA file; without it the system's trust roots). `prefer` (the default) can be downgraded by the network.
        var settings = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate = query["sslrootcert"], !rootCertificate.isEmpty { settings.trustRoots = .file(rootCertificate) }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow":
            settings.certificateVerification = .none
            tls = .prefer(settings)
        case "require":
            settings.certificateVerification = .none
            tls = .require(settings)
        case "verify-ca":
            settings.certificateVerification = .noHostnameVerification
            tls = .require(settings)
        case "verify-full":
            settings.certificateVerification = .fullVerification
            tls = .require(settings)
        case let other:
            throw ConfigurationError("DATABASE_URL sslmode=\(other) is not supported (disable, prefer, require, verify-ca or verify-full)")
        }
        return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}

/// A configuration problem reported to the operator in plain words, then the process exits.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
