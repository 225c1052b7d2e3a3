import ArgumentParser
import Foundation
import IndgangServer

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Pathway rule files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate pathway rule files as the server loads them: the built-in ones, INDGANG_PATHWAYS_DIR's, and the files given, "
                + "checked together; prints file:line: problem and exits 1 on any.")

        @Argument(help: "More rule files (YAML), e.g. a variant before it is deployed.")
        var files: [String] = []

        func run() async throws {
            let urls: [URL]
            do {
                // The files a server would load (INDGANG_PATHWAYS_DIR read as `serve` reads it); a file given here replaces
                // a built-in or folder file of the same name, so an edited base is checked before it ships.
                let folder = try AppConfiguration.fromEnvironment().pathwaysFolder
                let given = files.map { URL(fileURLWithPath: $0) }
                let names = Set(given.map(\.lastPathComponent))
                urls = try PathwayCatalog.files(extraFolder: folder).filter { !names.contains($0.lastPathComponent) } + given
            } catch let errors as RuleFileErrors {
                report(errors)
                throw ExitCode(1)
            }
            switch PathwayCatalog.load(files: urls) {
            case .success(let catalog):
                for definition in catalog.definitions {
                    print("ok \(definition.id): \(definition.rules.count) rules")
                }
                for variant in catalog.ruleSet.variants {
                    let what = variant.adopted.map { "adopts \($0)" } ?? "variant of \(catalog.ruleSet.resolution(of: variant.reference)?.base ?? "?")"
                    print("ok \(variant.reference): \(what) for \(variant.municipalities.joined(separator: ", ")) from \(variant.validFrom)")
                }
                print("digest \(catalog.digest)")
            case .failure(let errors):
                report(errors)
                throw ExitCode(1)
            }
        }

        private func report(_ errors: RuleFileErrors) {
            for issue in errors.issues {
                FileHandle.standardError.write(Data("\(issue)\n".utf8))
            }
        }
    }
}
