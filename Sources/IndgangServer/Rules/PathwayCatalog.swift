import Crypto
import Foundation
import IndgangCore
import IndgangSchema
import IndgangStore

/// The pathways in force: the rule files (built-in, then `INDGANG_PATHWAYS_DIR`), parsed and checked together
/// (`indgang rules check` runs the same), with their text and one digest of them all.
public struct PathwayCatalog: Sendable {
    public let ruleSet: PathwayRuleSet
    public let engine: PathwayEngine
    /// A rule file's text, per base id and per variant version (`id@version`).
    public let sources: [String: String]
    /// SHA-256 (hex) of every rule file's name and text: replicas with the same digest decide alike.
    public let digest: String

    public var definitions: [PathwayDefinition] { ruleSet.bases }
    public var escalationActors: EscalationActors { EscalationActors(ruleSet) }

    init(ruleSet: PathwayRuleSet, sources: [String: String], digest: String) {
        self.ruleSet = ruleSet
        self.engine = PathwayEngine(ruleSet: ruleSet)
        self.sources = sources
        self.digest = digest
    }

    /// Default hours until a caseworker's handoff is due, per pathway.
    public var dueHours: [String: Int] {
        Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0.handoffDueHours) })
    }

    /// The ingest path with these pathways: the one configuration the server and `indgang simulate` share.
    public func eventRepository(database: Database, dataKey: Data) -> PostgresEventRepository {
        PostgresEventRepository(
            database: database, cipher: CPRCipher(dataKey: .init(data: dataKey)), dataKey: dataKey, engine: engine,
            escalationActors: escalationActors)
    }

    public func definition(_ id: String) -> PathwayDefinition? {
        definitions.first { $0.id == id }
    }

    /// Parses every file and checks them together; the catalog, or every issue found, as `file:line: problem`.
    public static func load(files: [URL]) -> Result<PathwayCatalog, RuleFileErrors> {
        var bases: [PathwayDefinition] = []
        var variants: [PathwayVariant] = []
        var located: [VariantReference: (file: String, lines: [String: Int])] = [:]
        var sources: [String: String] = [:]
        var digestInput: [(String, String)] = []
        var issues: [RuleFileIssue] = []
        for url in files {
            let name = url.lastPathComponent
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                issues.append(RuleFileIssue(file: name, line: nil, message: "cannot be read as UTF-8 text"))
                continue
            }
            digestInput.append((name, text))
            var parser = PathwayFileParser(file: name)
            switch parser.parse(text) {
            case .base(let definition):
                let stem = url.deletingPathExtension().lastPathComponent
                if stem != definition.id {
                    issues.append(RuleFileIssue(file: name, line: 1, message: "the file of pathway \(definition.id) must be named \(definition.id).yaml"))
                } else if bases.contains(where: { $0.id == definition.id }) {
                    issues.append(RuleFileIssue(file: name, line: 1, message: "pathway \(definition.id) is declared twice"))
                } else {
                    bases.append(definition)
                    sources[definition.id] = text
                }
            case .variant(let variant, let lines):
                if let earlier = located[variant.reference] {
                    issues.append(RuleFileIssue(file: name, line: lines["version"], message: "\(variant.reference) is declared in \(earlier.file) too"))
                } else {
                    variants.append(variant)
                    located[variant.reference] = (name, lines)
                    sources[variant.reference.description] = text
                }
            case nil:
                break
            }
            issues += parser.issues
        }
        if files.isEmpty { issues.append(RuleFileIssue(file: "-", line: nil, message: "no pathway files")) }
        guard issues.isEmpty else { return .failure(RuleFileErrors(issues: issues)) }
        switch PathwayRuleSet.check(bases: bases, variants: variants) {
        case .success(let ruleSet):
            return .success(PathwayCatalog(ruleSet: ruleSet, sources: sources, digest: digest(of: digestInput)))
        case .failure(let errors):
            return .failure(
                RuleFileErrors(
                    issues: errors.problems.map { problem in
                        let place = located[problem.variant]
                        let line = place?.lines[problem.field] ?? place?.lines[String(problem.field.prefix { $0 != "." })] ?? 1
                        return RuleFileIssue(file: place?.file ?? "-", line: line, message: problem.message)
                    }))
        }
    }

    /// The built-in pathways, then the rule files of `folder` (`*.yaml`/`*.yml`, by name); a broken file stops the
    /// server at start.
    public static func load(extraFolder folder: URL?) throws -> PathwayCatalog {
        try load(files: try files(extraFolder: folder)).get()
    }

    /// The rule files a server with `folder` as `INDGANG_PATHWAYS_DIR` loads, in order.
    public static func files(extraFolder folder: URL?) throws -> [URL] {
        try SchemaResources.pathwayFiles() + extraFiles(in: folder)
    }

    /// The built-in pathways alone.
    public static func bundled() throws -> PathwayCatalog {
        try load(extraFolder: nil)
    }

    static func extraFiles(in folder: URL?) throws -> [URL] {
        guard let folder else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw RuleFileErrors(issues: [RuleFileIssue(file: folder.path, line: nil, message: "INDGANG_PATHWAYS_DIR cannot be read as a folder")])
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    private static func digest(of files: [(String, String)]) -> String {
        var hash = SHA256()
        for (name, text) in files.sorted(by: { $0.0 < $1.0 }) {
            hash.update(data: Data("\(name)\u{0}\(text.utf8.count)\u{0}\(text)".utf8))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

public struct RuleFileErrors: Error, CustomStringConvertible {
    public let issues: [RuleFileIssue]
    public var description: String {
        "pathway rule files are invalid:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
