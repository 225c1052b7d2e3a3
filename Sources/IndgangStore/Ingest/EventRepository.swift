import Foundation
import IndgangCore
import IndgangMedCom

/// Events from systems of record and the pathway rules they drive.
public protocol EventRepository: Sendable {
    /// Stores the event and applies every effect it causes, in one transaction; with `dryRun` the same work is
    /// done and rolled back. A repeat of the same event answers the original result with `replayed` set; the
    /// same key with a different body is a conflict.
    func ingest(_ event: IncomingEvent, dryRun: Bool, access: AccessContext) async throws -> IngestResult
    /// Ingests many events, several per transaction; one event's failure does not affect the others.
    /// Results are in input order.
    func ingestBatch(_ events: [IncomingEvent], access: AccessContext) async throws -> [Result<IngestResult, any Error>]
    /// Receives a MedCom HospitalNotification: its events through the same ingest, all or none, and the
    /// acknowledgement to answer with (the first one again for a message received before).
    func receive(_ message: MedComMessage, access: AccessContext) async throws -> MedComReceipt
}
