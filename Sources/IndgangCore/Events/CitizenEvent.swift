import Foundation

/// One validated event in a citizen's history, as the rules engine sees it.
public struct CitizenEvent: Sendable, Equatable {
    public let id: UUID
    /// The posting system and its own id: the idempotency key, and the tie-break for equal times.
    public let source: String
    public let externalID: String
    public let type: EventType
    public let occurredAt: Date
    /// Attribute values as posted (all strings; dates as `YYYY-MM-DD`).
    public let attributes: [String: String]
    /// The kind of the actor named in `attributes["actor"]`, resolved by the store.
    public let actorKind: ActorKind?

    public init(
        id: UUID, source: String, externalID: String, type: EventType, occurredAt: Date, attributes: [String: String], actorKind: ActorKind?
    ) {
        self.id = id
        self.source = source
        self.externalID = externalID
        self.type = type
        self.occurredAt = occurredAt
        self.attributes = attributes
        self.actorKind = actorKind
    }

    /// The order the rules read history in: by `occurred_at`, ties broken by the posting system's key,
    /// never by arrival (ids are assigned on arrival, so they must not decide).
    public static func chronological(_ lhs: CitizenEvent, _ rhs: CitizenEvent) -> Bool {
        if lhs.occurredAt != rhs.occurredAt { return lhs.occurredAt < rhs.occurredAt }
        return (lhs.source, lhs.externalID) < (rhs.source, rhs.externalID)
    }

    /// A date attribute (`release_date`, `offence_date`), or the event's own date for `occurred_at`.
    public func date(_ attribute: String) -> CalendarDate? {
        attribute == "occurred_at" ? CalendarDate(occurredAt) : attributes[attribute].flatMap(CalendarDate.init(iso:))
    }
}
