import Foundation
import IndgangCore

/// A validated event as posted by an integration, before it is stored.
public struct IncomingEvent: Sendable {
    public let source: String
    public let externalID: String
    public let type: EventType
    public let occurredAt: Date
    public let cpr: CPR
    public let attributes: [String: String]
    /// An `event.corrected`'s replacement attributes (its `attributes.attributes` object), if it replaces them.
    public let correctedAttributes: [String: String]?

    public init(
        source: String, externalID: String, type: EventType, occurredAt: Date, cpr: CPR, attributes: [String: String],
        correctedAttributes: [String: String]? = nil
    ) {
        self.source = source
        self.externalID = externalID
        self.type = type
        self.occurredAt = occurredAt
        self.cpr = cpr
        self.attributes = attributes
        self.correctedAttributes = correctedAttributes
    }

    /// The body in one canonical form (sorted keys, UTC time, ten-digit CPR), so that a re-post that differs
    /// only in spelling is recognised as the same event.
    var canonicalBody: Data {
        var fields = [source, externalID, type.rawValue, RFC3339.format(occurredAt), cpr.digits, Self.canonical(attributes)]
        if let correctedAttributes { fields.append(Self.canonical(correctedAttributes)) }
        return Data(fields.joined(separator: "\u{1E}").utf8)
    }

    private static func canonical(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }
}

/// What ingesting one event did: the effects it caused (now, or for earlier events it completed).
public struct IngestResult: Sendable, Codable, Equatable {
    public let eventID: UUID
    public let effects: [EffectOutcome]
    /// True when the same event (same source, id and body) had been ingested before: nothing happened now.
    public var replayed: Bool = false

    enum CodingKeys: String, CodingKey { case eventID = "event_id", effects }

    /// As `JSONEncoder` writes it (absent optionals left out, ids as `uuidString`), which `Codable` reads back.
    var json: JSONText.Value {
        .object([("effects", .array(effects.map(\.json))), ("event_id", .string(eventID.uppercasedString))])
    }
}

/// One effect of the pathway rules as applied (or deliberately not applied) to the database.
public struct EffectOutcome: Sendable, Codable, Equatable {
    public let effect: String
    public let pathway: String
    public let status: EffectStatus
    public var caseID: UUID?
    public var handoffID: UUID?
    public var actor: String?
    public var flag: String?
    public var reason: String?
    /// The event whose rule this is (differs from the posted event when a late event completes an earlier one).
    public let triggeredBy: UUID

    enum CodingKeys: String, CodingKey {
        case effect, pathway, status, actor, flag, reason
        case caseID = "case_id", handoffID = "handoff_id", triggeredBy = "triggered_by"
    }

    var json: JSONText.Value {
        var members: [(String, JSONText.Value)] = [
            ("effect", .string(effect)), ("pathway", .string(pathway)), ("status", .string(status.rawValue)),
            ("triggered_by", .string(triggeredBy.uppercasedString)),
        ]
        let optional: [(String, String?)] = [
            ("actor", actor), ("case_id", caseID?.uppercasedString), ("flag", flag), ("handoff_id", handoffID?.uppercasedString), ("reason", reason),
        ]
        members += optional.compactMap { key, value in value.map { (key, .string($0)) } }
        return .object(members)
    }

    /// In a dry run the triggering events are hypothetical: only the posted one is named (others as it).
    func withoutTrigger(_ posted: UUID) -> EffectOutcome {
        var copy = EffectOutcome(effect: effect, pathway: pathway, status: status, triggeredBy: posted)
        copy.actor = actor
        copy.flag = flag
        copy.reason = reason
        return copy
    }

    init(effect: String, pathway: String, status: EffectStatus, triggeredBy: UUID) {
        self.effect = effect
        self.pathway = pathway
        self.status = status
        self.triggeredBy = triggeredBy
    }
}
