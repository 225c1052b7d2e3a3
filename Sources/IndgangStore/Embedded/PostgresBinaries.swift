import Foundation

/// Finds `initdb` and `pg_ctl` of PostgreSQL 15 or newer: on `PATH`, or where Debian and Ubuntu install
/// them (`/usr/lib/postgresql/<major>/bin`), newest first.
public struct PostgresBinaries: Sendable {
    public let directory: String
    public let majorVersion: Int

    public var initdb: String { "\(directory)/initdb" }
    public var pgCtl: String { "\(directory)/pg_ctl" }

    public static let minimumMajorVersion = 15

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        var candidates: [String] = []
        for entry in (environment["PATH"] ?? "").split(separator: ":") where !entry.isEmpty {
            candidates.append(String(entry))
        }
        let debianRoot = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? []).compactMap(Int.init).sorted(by: >)
        candidates.append(contentsOf: majors.map { "\(debianRoot)/\($0)/bin" })
        candidates.append("/usr/local/pgsql/bin")

        var tooOld: [String] = []
        for directory in candidates {
            let fileManager = FileManager.default
            guard fileManager.isExecutableFile(atPath: "\(directory)/initdb"), fileManager.isExecutableFile(atPath: "\(directory)/pg_ctl")
            else { continue }
            guard let major = try? Self.majorVersion(of: "\(directory)/pg_ctl") else { continue }
            if major >= minimumMajorVersion {
                return PostgresBinaries(directory: directory, majorVersion: major)
            }
            tooOld.append("\(directory) (PostgreSQL \(major))")
        }
        let found = tooOld.isEmpty ? "" : " Found only: \(tooOld.joined(separator: ", "))."
        throw ConfigurationError(
            """
            PostgreSQL \(minimumMajorVersion) or newer was not found (looked on PATH and in /usr/lib/postgresql/*/bin).\(found) \
            Install it (Debian/Ubuntu: `apt-get install postgresql`), or set DATABASE_URL to use an existing server.
            """
        )
    }

    /// Parses `pg_ctl (PostgreSQL) 15.18 (Debian …)`.
    static func majorVersion(of binary: String) throws -> Int? {
        let result = try ProcessRunner.run([binary, "--version"])
        guard result.status == 0 else { return nil }
        let words = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let versionWord = words.first(where: { $0.first?.isNumber == true }) else { return nil }
        return Int(versionWord.prefix { $0.isNumber })
    }
}
