import ArgumentParser
import AsyncHTTPClient
import Foundation
import IndgangCore
import IndgangServer
import IndgangStore
import Logging
import NIOCore

/// `indgang simulate`: a reproducible synthetic population (`PopulationSimulator`) posted through the
/// events API (`--url`) or loaded straight into the database through the same ingest code (default), so
/// the rules, cases, handoffs and outcome facts are exactly what the API would have made.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Generate a synthetic, realistic population and post or load its events.")

    @Option(help: "How many citizens.")
    var citizens: Int

    @Option(help: "Seed: the same seed, size and --until give the same population.")
    var seed: UInt64 = 1

    @Option(help: "Events happen before this date (YYYY-MM-DD, default today), over the five years before it.")
    var until: String?

    @Option(help: "Post to this running server (e.g. http://127.0.0.1:8080) instead of loading the database directly.")
    var url: String?

    @Option(
        help: """
            With --url: an admin key. The simulated hospitals, prisons, municipalities, the civil register and the courts are \
            registered (if they are not yet) and each gets an integration key, because an integration speaks only for its own actor.
            """)
    var registerWith: String?

    @Option(help: "Events per batch request or transaction group.")
    var batchSize: Int = 2_000

    @OptionGroup var options: ConfigurationOptions

    func validate() throws {
        guard citizens > 0 else { throw ValidationError("--citizens must be at least 1") }
        guard (1...50_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 50000") }
        if let until, CalendarDate(iso: until) == nil { throw ValidationError("--until must be a date YYYY-MM-DD") }
        if url != nil, registerWith == nil { throw ValidationError("--url needs --register-with (an admin key)") }
        if url == nil, registerWith != nil { throw ValidationError("--register-with goes with --url") }
    }

    func run() async throws {
        let config = try options.resolve()
        let logger = Logger(label: "indgang.simulate")
        let end = until.flatMap(CalendarDate.init(iso:)) ?? CalendarDate(Date())
        let simulator = PopulationSimulator(seed: seed, until: end.start())
        let progress = SimulationProgress(citizens: citizens)
        let totals: SimulationProgress.Totals
        if let url, let registerWith {
            totals = try await postThroughAPI(simulator, url: url, adminKey: registerWith, progress: progress)
        } else {
            totals = try await Self.loadDirectly(
                simulator, citizens: citizens, batchSize: batchSize, config: config, logger: logger, progress: progress)
        }
        progress.finish(totals)
    }

    /// Loads the population straight into the database through the same ingest code, with the same pathway
    /// configuration, as the server's (also `indgang serve --demo`).
    static func loadDirectly(
        _ simulator: PopulationSimulator, citizens: Int, batchSize: Int, config: AppConfiguration, logger: Logger, progress: SimulationProgress
    ) async throws -> SimulationProgress.Totals {
        try await Runtime.run(config: config, logger: logger, needsDataKey: true) { runtime in
                let actors = runtime.actors
                let known = Set(try await actors.list().map(\.slug))
                for actor in SimulatedActors.all where !known.contains(actor.slug) {
                    _ = try await actors.create(NewActor(slug: actor.slug, name: actor.name, kind: actor.kind, municipalityCode: actor.municipalityCode))
                }
                // The same ingest path, with the same pathway configuration, as the server's.
                let events = try runtime.sealedRepositories().events
                let access = AccessContext(principal: Principal(keyID: nil, actorID: nil, actorSlug: nil, role: .integration), purpose: "simulation")
                // Fold the count deltas while loading, as a server would, so the tables never hold the whole
                // load's deltas at once (and stay small after the final vacuum).
                let outcomes = runtime.outcomes
                let compaction = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(15))
                        _ = try? await outcomes.compact()
                    }
                }
                defer { compaction.cancel() }
                let totals = try await Self.load(simulator, citizens: citizens, batchSize: batchSize, progress: progress) { batch in
                    let incoming = try batch.map { citizen, event in
                        IncomingEvent(
                            source: event.source, externalID: event.id, type: event.type, occurredAt: event.occurredAt, cpr: try CPR(parsing: citizen),
                            attributes: event.attributes)
                    }
                    var counts = SimulationProgress.Totals()
                    for result in try await events.ingestBatch(incoming, access: access) {
                        switch result {
                        case .success(let ingested): if ingested.replayed { counts.replayed += 1 } else { counts.accepted += 1 }
                        case .failure: counts.rejected += 1
                        }
                    }
                    return counts
                }
                // Fold the pre-aggregated counts now rather than at the next server's first compaction, and
                // refresh statistics and visibility after a bulk load, as a bulk loader should.
                compaction.cancel()
                _ = await compaction.result
                _ = try await outcomes.compact()
                try await runtime.database.vacuumAnalyze(["events", "outcome_episodes", "outcome_counts", "handoff_counts"])
                return totals
        }
    }

    /// Generates citizens in order and hands their events to `send` in batches, two batches in flight.
    static func load(
        _ simulator: PopulationSimulator, citizens: Int, batchSize: Int, progress: SimulationProgress,
        send: @escaping @Sendable ([(cpr: String, event: SimulatedEvent)]) async throws -> SimulationProgress.Totals
    ) async throws -> SimulationProgress.Totals {
        var simulator = simulator
        var totals = SimulationProgress.Totals()
        try await withThrowingTaskGroup(of: SimulationProgress.Totals.self) { group in
            var inFlight = 0
            var batch: [(cpr: String, event: SimulatedEvent)] = []
            var citizensInBatch = 0
            for index in 0..<citizens {
                let citizen = simulator.citizen(index)
                batch += citizen.events.map { (citizen.cpr, $0) }
                citizensInBatch += 1
                guard batch.count >= batchSize || index == citizens - 1 else { continue }
                if inFlight == 2, let done = try await group.next() {
                    totals.add(done)
                    inFlight -= 1
                    progress.report(totals)
                }
                let (sending, people) = (batch, citizensInBatch)
                group.addTask {
                    var counts = try await send(sending)
                    counts.citizens = people
                    return counts
                }
                inFlight += 1
                batch = []
                citizensInBatch = 0
            }
            while let done = try await group.next() {
                totals.add(done)
                progress.report(totals)
            }
        }
        return totals
    }

    private func postThroughAPI(_ simulator: PopulationSimulator, url: String, adminKey: String, progress: SimulationProgress) async throws
        -> SimulationProgress.Totals
    {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let keys = try await register(http, url: url, adminKey: adminKey)
            let totals = try await Self.load(simulator, citizens: citizens, batchSize: batchSize, progress: progress) { batch in
                var totals = SimulationProgress.Totals(accepted: 0, replayed: 0, rejected: 0)
                // Each event is posted with its own actor's key.
                for (actor, events) in Dictionary(grouping: batch, by: { $0.event.postingActor }).sorted(by: { $0.key < $1.key }) {
                    guard let key = keys[actor] else { throw SimulationError("no key for \(actor)") }
                    let answer = try await post(events, key: key, url: url, http: http)
                    totals = SimulationProgress.Totals(
                        accepted: totals.accepted + answer.accepted, replayed: totals.replayed + answer.replayed,
                        rejected: totals.rejected + answer.rejected)
                }
                return totals
            }
            try await http.shutdown()
            return totals
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func post(_ batch: [(cpr: String, event: SimulatedEvent)], key: String, url: String, http: HTTPClient) async throws
        -> SimulationProgress.Totals
    {
        var body = Data()
        for (cpr, event) in batch {
            body.append(event.jsonLine(cpr: cpr))
            body.append(0x0A)
        }
        var request = HTTPClientRequest(url: "\(url)/v1/events/batch")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/x-ndjson")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(300))
        let answer = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw SimulationError("the server answered \(response.status.code): \(String(buffer: answer))")
        }
        struct Answer: Decodable { let accepted: Int; let replayed: Int; let rejected: [Rejected] }
        struct Rejected: Decodable { let line: Int }
        let decoded = try JSONDecoder().decode(Answer.self, from: Data(buffer: answer))
        return SimulationProgress.Totals(accepted: decoded.accepted, replayed: decoded.replayed, rejected: decoded.rejected.count)
    }

    /// Registers the simulated actors (409: an earlier run did) and issues each an integration key; slug → key.
    private func register(_ http: HTTPClient, url: String, adminKey: String) async throws -> [String: String] {
        func send(_ path: String, _ body: some Encodable) async throws -> (HTTPClientResponse, ByteBuffer) {
            var request = HTTPClientRequest(url: "\(url)\(path)")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(adminKey)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            let response = try await http.execute(request, timeout: .seconds(30))
            return (response, try await response.body.collect(upTo: 1 << 20))
        }
        struct NewActor: Encodable { let slug: String; let name: String; let kind: String; let municipality_code: String? }
        struct NewKey: Encodable { let role: String; let label: String; let event_types: [String]? }
        struct IssuedKey: Decodable { let key: String }
        var keys: [String: String] = [:]
        for actor in SimulatedActors.all {
            let (registered, answer) = try await send(
                "/v1/actors", NewActor(slug: actor.slug, name: actor.name, kind: actor.kind.rawValue, municipality_code: actor.municipalityCode))
            guard registered.status == .created || registered.status == .conflict else {
                throw SimulationError("registering \(actor.slug): \(registered.status.code) \(String(buffer: answer))")
            }
            let grants = SimulatedActors.grants(of: actor)?.map(\.rawValue)
            let (keyResponse, issued) = try await send(
                "/v1/actors/\(actor.slug)/keys", NewKey(role: "integration", label: "indgang simulate", event_types: grants))
            guard keyResponse.status == .created else { throw SimulationError("issuing a key for \(actor.slug): \(keyResponse.status.code) \(String(buffer: issued))") }
            keys[actor.slug] = try JSONDecoder().decode(IssuedKey.self, from: Data(buffer: issued)).key
        }
        return keys
    }
}

/// A failure while posting to the server (not a usage error: no usage text).
struct SimulationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
