import Foundation
import IndgangCore
import IndgangServer
import IndgangStore
import Logging

/// `indgang serve --demo`: a populated console right after start — the simulated organisations and a simulated
/// population (loaded once, through the same ingest as the API), and fresh keys to log in with, printed.
enum DemoSetup {
    static let coordinatorSlug = "demo-koordinator"

    /// Prepares the database and returns the keys to print; the admin key is made up when none is configured,
    /// and the console's cookies go without `Secure` (the demo runs on plain http on loopback).
    static func prepare(config: inout AppConfiguration, citizens: Int, logger: Logger) async throws -> [(who: String, key: String)] {
        if config.adminKey == nil { config.adminKey = APIKeyMaterial.generate() }
        config.consoleInsecureCookie = true
        config.migrateAtStart = true  // a demo prepares its database, wherever it is
        let settings = config
        let loaded = try await Runtime.run(config: settings, logger: logger, needsDataKey: true) { runtime in
            try await runtime.sealedRepositories().cases.citizenCount()
        }
        if loaded == 0 {
            FileHandle.standardOutput.write(Data("Demo: loading \(citizens) simulated citizens (once) …\n".utf8))
            let simulator = PopulationSimulator(seed: 1, until: CalendarDate(Date()).start())
            _ = try await SimulateCommand.loadDirectly(
                simulator, citizens: citizens, batchSize: 2_000, config: settings, logger: logger, progress: SimulationProgress(citizens: citizens))
        }
        var keys = try await Runtime.run(config: settings, logger: logger) { runtime in
            let actors = runtime.actors
            if try await !actors.list().contains(where: { $0.slug == coordinatorSlug }) {
                _ = try await actors.create(NewActor(slug: coordinatorSlug, name: "Koordinator (demo)", kind: .other, municipalityCode: nil))
            }
            var issued: [(who: String, key: String)] = []
            for (who, slug, role) in [
                ("caseworker, Nordsjællands Hospital", "nordsjaellands-hospital", Role.caseworker), ("caseworker, Hillerød Kommune", "hillerod", .caseworker),
                ("coordinator", coordinatorSlug, .coordinator),
            ] {
                issued.append((who, try await actors.issueKey(actorSlug: slug, role: role, label: "demo", eventTypes: nil).key))
            }
            return issued
        }
        keys.append(("admin", settings.adminKey ?? ""))
        return keys
    }
}
