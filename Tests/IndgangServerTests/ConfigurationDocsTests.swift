import Foundation
import Testing

/// The README's configuration table, the variables the server reads and the flags of `indgang serve` agree: a
/// setting cannot be added, renamed or dropped in one place only (issue 13).
@Suite("Configuration documented once, read once")
struct ConfigurationDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func names(_ text: String, _ pattern: Regex<(Substring, Substring)>) -> Set<String> {
        Set(text.matches(of: pattern).map { String($0.output.1) })
    }

    @Test("every variable the server reads is in the README's table and has a flag, and the table names no other")
    func tableAgreesWithCode() throws {
        let readme = try Self.text("README.md")
        let section = try #require(readme.range(of: "## Configuration").map { String(readme[$0.upperBound...]) })
        let table = section.components(separatedBy: "\n## ").first ?? ""
        let documented = Self.names(table, /\n\| `([A-Z_]+)` \|/)
        // Keys are read dotted (`indgang.data.dir`); the environment provider reads them as `INDGANG_DATA_DIR`.
        let read = Set(Self.names(try Self.text("Sources/IndgangServer/Configuration/AppConfiguration.swift"), /settings\.text\("([a-z.]+)"/).map {
            $0.replacingOccurrences(of: ".", with: "_").uppercased()
        })
        let flagged = Self.names(try Self.text("Sources/indgang/ConfigurationOptions.swift"), /flags\["([A-Z_]+)"\] =/)
        #expect(!read.isEmpty)
        #expect(documented == read, "README table \(documented.sorted()) vs read \(read.sorted())")
        #expect(flagged == read, "flags \(flagged.sorted()) vs read \(read.sorted())")
    }
}
