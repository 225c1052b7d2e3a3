import ArgumentParser
import Hummingbird
import IndgangServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API (applies migrations first; stops cleanly on SIGTERM/SIGINT).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        var config = try options.resolve()
        config.host = host
        config.port = port
        let app = try await buildApplication(config: config)
        try await app.runService()
    }
}
