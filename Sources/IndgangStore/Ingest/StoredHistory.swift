import Foundation
import IndgangCore

/// A citizen's stored events as they were posted, the retractions and corrections of them, and who posted each:
/// the history the rules read is `effective`.
struct StoredHistory: Sendable {
    /// Ordinary events as posted (never an `event.retracted`/`event.corrected` envelope).
    var events: [CitizenEvent] = []
    var amendments: [EventAmendment] = []
    /// The posting actor of each event (the nil UUID for internal tools): an amendment must come from it.
    var postingActors: [UUID: UUID] = [:]

    var effective: [CitizenEvent] { EventAmendment.applied(amendments, to: events) }

    func isRetracted(_ eventID: UUID) -> Bool {
        amendments.contains { $0.target == eventID && $0.change == .retraction }
    }

    /// The stored form of an amendment envelope's attributes: `{source, id, occurred_at?, attributes?}`.
    struct EnvelopeAttributes: Codable {
        let source: String
        let id: String
        var occurred_at: String?
        var attributes: [String: String]?
    }

    static func amendment(type: EventType, target: UUID, attributes: String, occurredAt: Date, source: String, externalID: String) -> EventAmendment? {
        guard let envelope = try? JSONDecoder().decode(EnvelopeAttributes.self, from: Data(attributes.utf8)) else { return nil }
        let change: EventAmendment.Change
        switch type {
        case .eventRetracted: change = .retraction
        case .eventCorrected: change = .correction(occurredAt: envelope.occurred_at.flatMap(RFC3339.parse), attributes: envelope.attributes)
        default: return nil
        }
        return EventAmendment(target: target, change: change, occurredAt: occurredAt, source: source, externalID: externalID)
    }
}
