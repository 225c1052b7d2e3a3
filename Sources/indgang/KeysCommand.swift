import ArgumentParser
import IndgangCore
import IndgangServer
import IndgangStore
import Logging

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Manage API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key for an actor; prints only the key.")

        @Option(help: "The actor's slug.")
        var actor: String

        @Option(help: "caseworker, coordinator, integration or admin.")
        var role: Role

        @Option(help: "A note on what the key is for.")
        var label: String?

        @OptionGroup var options: ConfigurationOptions

        func run() async throws {
            let config = try options.resolve()
            let logger = Logger(label: "indgang.keys")
            let (actor, role, label) = (actor, role, label)
            let issued = try await Runtime.run(config: config, logger: logger) { runtime in
                do {
                    return try await runtime.actors.issueKey(actorSlug: actor, role: role, label: label, eventTypes: nil)
                } catch IndgangError.notFound {
                    throw ValidationError("no actor with slug \(actor); create it first (POST /v1/actors)")
                }
            }
            print(issued.key)
        }
    }
}

/// `--role caseworker`: parsed into the core's `Role`, so an unknown role is refused by the parser with the choices.
extension Role: ExpressibleByArgument {}
