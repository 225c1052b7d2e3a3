import Foundation

/// A system of record taking back (`event.retracted`) or fixing (`event.corrected`) an event it posted earlier
/// (API.md, Event authority). The stored events never change; the history the rules read is the stored events
/// with their amendments applied (`applied(to:)`).
public struct EventAmendment: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case retraction
        /// A new time and/or new attributes (all of them); the type, the citizen and `attributes.actor` stay.
        case correction(occurredAt: Date?, attributes: [String: String]?)
    }

    /// The amended event.
    public let target: UUID
    public let change: Change
    /// When the sender found the mistake (the envelope's `occurred_at`) and the envelope's own key: the order in
    /// which corrections apply, so the latest correction wins however they arrived.
    public let occurredAt: Date
    public let source: String
    public let externalID: String

    public init(target: UUID, change: Change, occurredAt: Date, source: String, externalID: String) {
        self.target = target
        self.change = change
        self.occurredAt = occurredAt
        self.source = source
        self.externalID = externalID
    }

    /// The history as the rules read it: retracted events left out, corrections applied in their own order.
    public static func applied(_ amendments: [EventAmendment], to events: [CitizenEvent]) -> [CitizenEvent] {
        let byTarget = Dictionary(grouping: amendments, by: \.target)
        return events.compactMap { event in
            guard let amendments = byTarget[event.id] else { return event }
            if amendments.contains(where: { $0.change == .retraction }) { return nil }
            return amendments.sorted(by: chronological).reduce(event) { $1.correcting($0) }
        }
    }

    /// Applies a correction to `event` (a retraction is not applied here: the event leaves the history).
    public func correcting(_ event: CitizenEvent) -> CitizenEvent {
        guard case .correction(let time, let attributes) = change else { return event }
        var replaced = attributes ?? event.attributes
        // The actor is the event's, whatever a correction says (a correction that names another is refused).
        replaced["actor"] = event.attributes["actor"]
        return CitizenEvent(
            id: event.id, source: event.source, externalID: event.externalID, type: event.type, occurredAt: time ?? event.occurredAt,
            attributes: replaced, actorKind: event.actorKind)
    }

    static func chronological(_ lhs: EventAmendment, _ rhs: EventAmendment) -> Bool {
        if lhs.occurredAt != rhs.occurredAt { return lhs.occurredAt < rhs.occurredAt }
        return (lhs.source, lhs.externalID) < (rhs.source, rhs.externalID)
    }
}
