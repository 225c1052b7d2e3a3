import ArgumentParser
import Foundation
import IndgangSchema
import IndgangServer

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Pathway rule files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate pathway rule files (default: the built-in ones); prints file:line: problem and exits 1 on any.")

        @Argument(help: "Rule files (YAML) to check together, as one catalog.")
        var files: [String] = []

        func run() async throws {
            let urls = files.isEmpty ? try SchemaResources.pathwayFiles() : files.map { URL(fileURLWithPath: $0) }
            switch PathwayCatalog.load(files: urls) {
            case .success(let catalog):
                for definition in catalog.definitions {
                    print("ok \(definition.id): \(definition.rules.count) rules")
                }
            case .failure(let errors):
                for issue in errors.issues {
                    FileHandle.standardError.write(Data("\(issue)\n".utf8))
                }
                throw ExitCode(1)
            }
        }
    }
}
