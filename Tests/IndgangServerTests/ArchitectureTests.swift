import Foundation
import Testing

/// The boundaries the folder names promise, checked on the sources (issue 13): the server speaks to PostgreSQL only
/// through the store (PostgresNIO appears in its runtime assembly alone), the command-line tools hold no SQL and
/// build no repository, and no source file grows past what a newcomer reads in one sitting.
@Suite("Architecture")
struct ArchitectureTests {
    static let root = ConfigurationDocsTests.root

    static func sources(under folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map { url in
            (String(url.path.dropFirst(root.path.count + 1)), try String(contentsOf: url, encoding: .utf8))
        }
    }

    @Test("IndgangServer imports PostgresNIO only in its runtime assembly; the executable not at all")
    func postgresStaysInTheStore() throws {
        let importers = try Self.sources(under: "Sources/IndgangServer").filter { $0.text.contains("import PostgresNIO") }.map(\.path)
        #expect(importers.allSatisfy { $0.hasPrefix("Sources/IndgangServer/Runtime/") }, "\(importers)")
        let tools = try Self.sources(under: "Sources/indgang")
        #expect(tools.allSatisfy { !$0.text.contains("import PostgresNIO") })
        // No SQL and no repository built in the command-line tools: they go through `Runtime`.
        for (path, text) in tools {
            #expect(text.firstMatch(of: /Postgres\w+Repository\(/) == nil, "\(path)")
            #expect(text.firstMatch(of: /\b(SELECT|INSERT|UPDATE|DELETE|VACUUM)\b/) == nil, "\(path)")
        }
    }

    @Test("no source file is longer than 400 lines")
    func filesStaySmall() throws {
        for folder in ["Sources/IndgangCore", "Sources/IndgangMedCom", "Sources/IndgangConsole", "Sources/IndgangStore", "Sources/IndgangServer", "Sources/indgang"] {
            for (path, text) in try Self.sources(under: folder) {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(lines <= 400, "\(path) has \(lines) lines")
            }
        }
    }
}
