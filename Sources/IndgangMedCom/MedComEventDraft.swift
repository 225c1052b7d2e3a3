import Foundation
import IndgangCore

/// An Indgang event to post (API.md, Events) for the message's citizen. `attributes` never holds `actor`:
/// the server adds its own actor's slug wherever the type has an `actor` attribute (`needsActor`), and to
/// `correctedAttributes` of a correction of such an event.
public struct MedComEventDraft: Sendable, Equatable {
    /// The event an `event.retracted` or `event.corrected` names.
    public struct Target: Sendable, Equatable {
        public let source: String
        public let id: String
        public let type: EventType
    }

    public let type: EventType
    /// `medcom:<sender SOR>`.
    public let source: String
    /// Derived from the MessageHeader.id, so a resent message maps to the same keys.
    public let id: String
    public let occurredAt: Date
    /// String attributes; for `event.retracted`/`event.corrected` these are `source`, `id` and, when the time
    /// changes, `occurred_at` (RFC 3339).
    public let attributes: [String: String]
    public let target: Target?
    /// `event.corrected`: the replacement time, when it changes.
    public let correctedOccurredAt: Date?
    /// `event.corrected`: the complete replacement attributes (without `actor`), when they change.
    public let correctedAttributes: [String: String]?

    init(
        type: EventType, source: String, id: String, occurredAt: Date, attributes: [String: String], target: Target? = nil,
        correctedOccurredAt: Date? = nil, correctedAttributes: [String: String]? = nil
    ) {
        self.type = type
        self.source = source
        self.id = id
        self.occurredAt = occurredAt
        self.attributes = attributes
        self.target = target
        self.correctedOccurredAt = correctedOccurredAt
        self.correctedAttributes = correctedAttributes
    }

    /// Whether the event type (or, for a correction, the corrected event's type) has an `actor` attribute.
    public var needsActor: Bool {
        let concerned = type == .eventCorrected && correctedAttributes != nil ? target?.type : type
        return concerned?.attributes.contains { $0.name == "actor" } ?? false
    }
}
