import ArgumentParser
import Logging

@main
struct Indgang: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indgang",
        abstract: "One entry per citizen: cross-agency pathways with warm handoffs.",
        subcommands: [ServeCommand.self, MigrateCommand.self, KeysCommand.self, RulesCommand.self, SimulateCommand.self, OutcomesCommand.self],
        defaultSubcommand: nil
    )

    /// Logs go to stderr, so that stdout carries only a command's answer (e.g. the key from `keys create`).
    static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
