import ArgumentParser
import IndgangServer
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the Schema/ migrations and exit.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let config = try options.resolve()
        let logger = Logger(label: "indgang.migrate")
        // `.migrate` applies whatever is pending before the body runs; the body only reports.
        try await Runtime.run(config: config, logger: logger, schema: .migrate) { _ in }
        logger.info("migrations complete")
    }
}
