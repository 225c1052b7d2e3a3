import Foundation
import ArgumentParser
import Hummingbird
import IndgangServer
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API (applies migrations first; stops cleanly on SIGTERM/SIGINT).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Flag(help: "Load simulated organisations and citizens (once) and print keys to log in to the console with.")
    var demo = false

    @Option(help: "With --demo: how many simulated citizens.")
    var demoCitizens = 2_000

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        var config = try options.resolve()
        config.host = host
        config.port = port
        var demoKeys: [(who: String, key: String)] = []
        if demo {
            demoKeys = try await DemoSetup.prepare(config: &config, citizens: demoCitizens, logger: Logger(label: "indgang.demo"))
        }
        let app = try await buildApplication(config: config)
        if demo {
            // Written at once, unbuffered, so a reader of the output sees the keys while the server runs.
            let lines = ["Demo: open http://\(host):\(port)/console/login and log in with one of these keys:"]
                + demoKeys.map { "  \($0.who.padding(toLength: 36, withPad: " ", startingAt: 0)) \($0.key)" }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await runUntilStopped(app, config: config, logger: Logger(label: "indgang"))
    }
}
