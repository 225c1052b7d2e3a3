import ArgumentParser
import Foundation
import IndgangServer
import IndgangStore
import Logging

struct OutcomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outcomes", abstract: "Outcome facts.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every citizen's outcome facts from the stored events (safe while the server runs).")

        @OptionGroup var options: ConfigurationOptions

        func run() async throws {
            let config = try options.resolve()
            let logger = Logger(label: "indgang.outcomes")
            let done = try await Runtime.run(config: config, logger: logger) { runtime in
                try await runtime.outcomes.rebuild(batchSize: 500) { done in
                    if done % 50_000 == 0 { logger.info("outcome facts rebuilt", metadata: ["citizens": "\(done)"]) }
                }
            }
            print("citizens \(done)")
        }
    }
}
