import Foundation

/// What the rules say should follow from a citizen's history: one effect of one rule for one event.
public struct PlannedEffect: Sendable, Equatable {
    /// Stable identity (pathway, rule, effect, triggering event); the same in every replay of the history.
    public let slot: String
    public let pathway: String
    /// The variant whose rules called for it (nil: the base pathway's).
    public let variant: VariantReference?
    public let eventID: UUID
    public let occurredAt: Date
    public let action: PlannedAction

    /// A canonical rendering of the action: a slot whose value changes (e.g. a late `citizen.moved` changes a
    /// handoff's receiver) calls for a correction. A case opened under a variant names it, so a late move that
    /// changes the variant corrects the case's record of it (base values are unchanged from before variants).
    public var value: String {
        if case .openCase = action, let variant { return action.canonical + " variant:\(variant)" }
        return action.canonical
    }

    public init(slot: String, pathway: String, variant: VariantReference? = nil, eventID: UUID, occurredAt: Date, action: PlannedAction) {
        self.slot = slot
        self.pathway = pathway
        self.variant = variant
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.action = action
    }
}

public enum PlannedAction: Sendable, Equatable {
    case openCase(responsible: ResolvedActor)
    case requestHandoff(to: ResolvedActor, dueAt: Date, reason: String)
    case flag(CaseFlag)
    case escalate(reason: String, unlessHandoffAccepted: Bool)
    case closeCase(CloseOutcome)

    var canonical: String {
        switch self {
        case .openCase(let actor): return "open_case \(actor)"
        case .requestHandoff(let actor, let due, _): return "request_handoff \(actor) \(RFC3339.format(due))"
        case .flag(let name): return "flag \(name.rawValue)"
        case .escalate(_, let unless): return "escalate \(unless)"
        case .closeCase(let outcome): return "close_case \(outcome.rawValue)"
        }
    }
}

/// An actor as the rules could determine it; the store maps it to a registered actor (or reports that none is).
public enum ResolvedActor: Sendable, Equatable, CustomStringConvertible {
    case slug(String)
    case municipality(code: String)
    /// No `citizen.moved` tells where the citizen lives.
    case unknownMunicipality

    public var description: String {
        switch self {
        case .slug(let slug): return "actor:\(slug)"
        case .municipality(let code): return "municipality:\(code)"
        case .unknownMunicipality: return "municipality:unknown"
        }
    }
}
