import Foundation
import IndgangCore

/// Events from systems of record and the pathway rules they drive.
public protocol EventRepository: Sendable {
    /// Stores the event and applies every effect it causes, in one transaction; with `dryRun` the same work is
    /// done and rolled back. A repeat of the same event answers the original result with `replayed` set; the
    /// same key with a different body is a conflict.
    func ingest(_ event: IncomingEvent, dryRun: Bool, access: AccessContext) async throws -> IngestResult
    /// Ingests many events, several per transaction; one event's failure does not affect the others.
    /// Results are in input order.
    func ingestBatch(_ events: [IncomingEvent], access: AccessContext) async throws -> [Result<IngestResult, any Error>]
}
