import Crypto
import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// Ingests events: each batch of events (one, for `POST /v1/events`) is one `IngestSession` in one transaction
/// under the citizens' advisory locks. Replaying each citizen's complete history in `occurred_at` order is what
/// makes late events land where they belong: the end state does not depend on arrival order.
public struct PostgresEventRepository: EventRepository {
    let database: Database
    let cipher: CPRCipher
    let engine: PathwayEngine
    let escalationActors: EscalationActors
    private let actors = ActorDirectory()
    private let coalescer = GroupCommit<IngestSession.Pending, IngestResult>(maximumInFlight: coalescedInFlight, maximumBatch: chunkSize)
    /// Keys the body digest; derived from the data key, so digests reveal nothing about the CPR in the body.
    private let digest: KeyedHMAC

    /// Events per transaction in a batch: large enough that round trips stop mattering, small enough that
    /// locks are held briefly.
    static let chunkSize = 250

    public init(database: Database, cipher: CPRCipher, dataKey: Data, engine: PathwayEngine, escalationActors: EscalationActors) {
        self.database = database
        self.cipher = cipher
        self.engine = engine
        self.escalationActors = escalationActors
        self.digest = KeyedHMAC(key: DataKey.derive(dataKey, purpose: "indgang event digest v1"))
    }

    var logger: Logger { database.logger }

    public func ingest(_ event: IncomingEvent, dryRun: Bool, access: AccessContext) async throws -> IngestResult {
        let item = pending(event, access: access)
        if dryRun { return try await database.transaction { connection in try await session(connection).dryRun(item) } }
        return try await coalescer.submit(item) { chunk in await ingest(chunk: chunk) }.get()
    }

    /// One event in its own transaction: an event whose coalesced transaction failed.
    private func ingestAlone(_ item: IngestSession.Pending) async throws -> IngestResult {
        do {
            let outcome = try await database.transaction { connection in try await session(connection).run([item])[0] }
            return try Self.result(of: outcome)
        } catch let error as PSQLError where error.sqlState == "23505" && error.constraintName == "events_idempotency" {
            // The same key was taken concurrently under another citizen's lock (a different CPR): now it is visible.
            let outcome = try await database.transaction { connection in try await session(connection).run([item])[0] }
            return try Self.result(of: outcome)
        }
    }

    public func ingestBatch(_ events: [IncomingEvent], access: AccessContext) async throws -> [Result<IngestResult, any Error>] {
        let chunks = stride(from: 0, to: events.count, by: Self.chunkSize).map { start in
            events[start..<min(start + Self.chunkSize, events.count)].map { pending($0, access: access) }
        }
        // Several chunks at a time, so that some are decided in Swift while others are written by PostgreSQL. Each
        // takes its citizens' locks in ascending key order, so concurrent chunks cannot deadlock. A retraction or
        // correction depends on its event having arrived: a batch with one is ingested chunk after chunk, in order.
        let inFlight = events.contains { $0.type.amendsAnEvent } ? 1 : Self.parallelChunks
        var results = [[Result<IngestResult, any Error>]](repeating: [], count: chunks.count)
        try await withThrowingTaskGroup(of: (Int, [Result<IngestResult, any Error>]).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask { (index, await ingest(chunk: chunks[index])) }
            }
            while next < min(inFlight, chunks.count) { start() }
            while let (index, chunkResults) = try await group.next() {
                results[index] = chunkResults
                if next < chunks.count { start() }
            }
        }
        return results.flatMap { $0 }
    }

    /// Chunks in flight at once in a batch: a whole 1,000-event body. Measured with 4 clients posting 1,000-event
    /// bodies (Benchmarks/ingest/run.sh, release, 2 cores): 2 in flight 9.3k events/s, 4 in flight 10.0k — the
    /// extra chunks fill PostgreSQL's commit waits; more than a body holds changes nothing.
    static let parallelChunks = 4

    /// Coalesced transactions of single events in flight at once, and the most events one of them takes.
    static let coalescedInFlight = 2

    /// One transaction for `chunk`; if something the in-memory checks did not foresee fails it, its events are
    /// ingested one by one, so one bad event never rejects the others.
    private func ingest(chunk: [IngestSession.Pending]) async -> [Result<IngestResult, any Error>] {
        do {
            let outcomes = try await database.transaction { connection in try await session(connection).run(chunk) }
            return outcomes.map { outcome in Result { try Self.result(of: outcome) } }
        } catch {
            if chunk.count > 1 {
                // The SQLSTATE and constraint name say what failed without any bound value (personal data).
                logger.warning(
                    "ingest transaction failed, ingesting its events one by one",
                    metadata: [
                        "error_type": "\(type(of: error))", "sql_state": "\((error as? PSQLError)?.sqlState ?? "-")",
                        "constraint": "\((error as? PSQLError)?.constraintName ?? "-")",
                    ])
            }
            var results: [Result<IngestResult, any Error>] = []
            for item in chunk {
                do {
                    results.append(.success(try await ingestAlone(item)))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    func pending(_ event: IncomingEvent, access: AccessContext) -> IngestSession.Pending {
        IngestSession.Pending(
            event: event, digest: digest.code(for: event.canonicalBody),
            index: cipher.blindIndex(event.cpr), access: access)
    }

    func session(_ connection: PostgresConnection) -> IngestSession {
        IngestSession(connection: connection, logger: logger, cipher: cipher, engine: engine, escalationActors: escalationActors, actors: actors)
    }

    private static func result(of outcome: IngestSession.Outcome) throws -> IngestResult {
        switch outcome {
        case .ingested(let result): return result
        case .replayed(var result):
            result.replayed = true
            return result
        case .rejected(let error): throw error
        }
    }
}
