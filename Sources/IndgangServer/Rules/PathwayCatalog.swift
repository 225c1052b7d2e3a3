import Foundation
import IndgangCore
import IndgangSchema
import IndgangStore

/// The pathways in force: the rule files, parsed and validated together (`indgang rules check` runs the same).
public struct PathwayCatalog: Sendable {
    public let definitions: [PathwayDefinition]
    public let engine: PathwayEngine

    public init(definitions: [PathwayDefinition]) {
        self.definitions = definitions.sorted { $0.id < $1.id }
        self.engine = PathwayEngine(pathways: definitions)
    }

    /// The actor told about escalations and overdue handoffs, per pathway (from the rule files).
    public var escalationActors: [String: String] {
        Dictionary(uniqueKeysWithValues: definitions.compactMap { definition in definition.escalationActor.map { (definition.id, $0) } })
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

    /// Parses every file; the catalog, or every issue found in any of them.
    public static func load(files: [URL]) -> Result<PathwayCatalog, RuleFileErrors> {
        var definitions: [PathwayDefinition] = []
        var issues: [RuleFileIssue] = []
        for url in files {
            let name = url.lastPathComponent
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                issues.append(RuleFileIssue(file: name, line: nil, message: "cannot be read as UTF-8 text"))
                continue
            }
            var parser = PathwayFileParser(file: name)
            if let definition = parser.parse(text) {
                let stem = url.deletingPathExtension().lastPathComponent
                if stem != definition.id {
                    issues.append(RuleFileIssue(file: name, line: 1, message: "the file of pathway \(definition.id) must be named \(definition.id).yaml"))
                } else if definitions.contains(where: { $0.id == definition.id }) {
                    issues.append(RuleFileIssue(file: name, line: 1, message: "pathway \(definition.id) is declared twice"))
                } else {
                    definitions.append(definition)
                }
            }
            issues += parser.issues
        }
        if files.isEmpty { issues.append(RuleFileIssue(file: "-", line: nil, message: "no pathway files")) }
        return issues.isEmpty ? .success(PathwayCatalog(definitions: definitions)) : .failure(RuleFileErrors(issues: issues))
    }

    /// The built-in pathways shipped with the binary; a broken file stops the server at start.
    public static func bundled() throws -> PathwayCatalog {
        try load(files: SchemaResources.pathwayFiles()).get()
    }
}

public struct RuleFileErrors: Error, CustomStringConvertible {
    public let issues: [RuleFileIssue]
    public var description: String {
        "pathway rule files are invalid:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
