import Foundation

/// A pathway as its rule file declares it (`Schema/pathways/*.yaml`): who is eligible, which events do
/// what, who escalations go to, and which outcome its cases feed.
public struct PathwayDefinition: Sendable, Equatable {
    public let id: String
    public let title: String
    public let eligibility: Eligibility
    /// The actor told about escalations and overdue handoffs, besides the parties (a slug; optional).
    public let escalationActor: String?
    /// The outcome figure the pathway's cases feed (`readmission`, `recidivism`), if any.
    public let outcome: String?
    /// Default `due_at` of a handoff a caseworker requests without one.
    public let handoffDueHours: Int
    public let rules: [PathwayRule]
    /// What a local variant may change (`overridable:` in the rule file).
    public let overridable: Set<PathwayParameter>
    /// The shared goals for the pathway's outcome figures.
    public let goals: [PathwayGoal]

    public init(
        id: String, title: String, eligibility: Eligibility, escalationActor: String?, outcome: String?, handoffDueHours: Int,
        rules: [PathwayRule], overridable: Set<PathwayParameter> = [], goals: [PathwayGoal] = []
    ) {
        self.id = id
        self.title = title
        self.eligibility = eligibility
        self.escalationActor = escalationActor
        self.outcome = outcome
        self.handoffDueHours = handoffDueHours
        self.rules = rules
        self.overridable = overridable
        self.goals = goals
    }

    /// This pathway as a variant runs it: its overrides applied, its own rules after the base's.
    public func applying(_ overrides: VariantOverrides, adding extraRules: [PathwayRule]) -> PathwayDefinition {
        let rules = self.rules.map { rule in
            guard let due = overrides.handoffDue else { return rule }
            return PathwayRule(
                name: rule.name, on: rule.on, conditions: rule.conditions, actorKinds: rule.actorKinds, after: rule.after,
                effects: rule.effects.map { effect in
                    // A date-based due rule ("before the release date") keeps its meaning (API.md, Working days).
                    guard case .requestHandoff(let to, let current, let reason) = effect else { return effect }
                    if case .beforeDate = current { return effect }
                    return .requestHandoff(to: to, due: due, reason: reason)
                })
        }
        let eligibility = Eligibility(
            minimumAge: overrides.minimumAge ?? self.eligibility.minimumAge, maximumAge: overrides.maximumAge ?? self.eligibility.maximumAge,
            actorKinds: self.eligibility.actorKinds)
        return PathwayDefinition(
            id: id, title: title, eligibility: eligibility, escalationActor: overrides.escalationActor ?? escalationActor, outcome: outcome,
            handoffDueHours: handoffDueHours, rules: rules + extraRules, overridable: overridable, goals: goals)
    }

    public static let outcomes = ["readmission", "recidivism"]
    /// The flags a rule may raise; each has its timeline kind (`<flag>_flagged`) and notification (`case.<flag>`).
}

/// Who a pathway opens cases for: an age band on the day of the event, and the kinds of actor whose events count.
public struct Eligibility: Sendable, Equatable {
    public let minimumAge: Int?
    public let maximumAge: Int?
    public let actorKinds: [ActorKind]

    public init(minimumAge: Int? = nil, maximumAge: Int? = nil, actorKinds: [ActorKind] = []) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.actorKinds = actorKinds
    }

    public func admits(birthDate: CalendarDate, on day: CalendarDate, actorKind: ActorKind?) -> Bool {
        let age = birthDate.age(on: day)
        if let minimumAge, age < minimumAge { return false }
        if let maximumAge, age > maximumAge { return false }
        if !actorKinds.isEmpty { return actorKind.map(actorKinds.contains) ?? false }
        return true
    }
}

public struct PathwayRule: Sendable, Equatable {
    public let name: String
    public let on: EventType
    public let conditions: [AttributeCondition]
    /// The event's actor must be of one of these kinds (empty: any).
    public let actorKinds: [ActorKind]
    public let after: PriorEventCondition?
    public let effects: [RuleEffect]

    public init(
        name: String, on: EventType, conditions: [AttributeCondition] = [], actorKinds: [ActorKind] = [], after: PriorEventCondition? = nil,
        effects: [RuleEffect]
    ) {
        self.name = name
        self.on = on
        self.conditions = conditions
        self.actorKinds = actorKinds
        self.after = after
        self.effects = effects
    }
}

/// `attribute` is one of `values`.
public struct AttributeCondition: Sendable, Equatable {
    public let attribute: String
    public let values: [String]

    public init(attribute: String, values: [String]) {
        self.attribute = attribute
        self.values = values
    }

    public func holds(for event: CitizenEvent) -> Bool {
        event.attributes[attribute].map(values.contains) ?? false
    }
}

/// The citizen's history holds an earlier `type` event (matching `conditions`) at most `withinDays` before
/// this event's `reference` date (default: its `occurred_at`) and more than `moreThanHours` before it.
public struct PriorEventCondition: Sendable, Equatable {
    public let type: EventType
    public let conditions: [AttributeCondition]
    public let withinDays: Int
    public let moreThanHours: Double
    /// A date attribute of the current event to measure from, e.g. `offence_date`; nil: `occurred_at`.
    public let reference: String?

    public init(type: EventType, conditions: [AttributeCondition] = [], withinDays: Int, moreThanHours: Double = 0, reference: String? = nil) {
        self.type = type
        self.conditions = conditions
        self.withinDays = withinDays
        self.moreThanHours = moreThanHours
        self.reference = reference
    }

    /// Whether a prior event `gap` seconds before the reference lies in the window: more than `moreThanHours`
    /// and at most `withinDays` days. The outcome definitions use the same test, so figures and flags agree.
    public func admits(gap: TimeInterval) -> Bool {
        gap > moreThanHours * 3600 && gap <= TimeInterval(withinDays) * 86_400
    }
}

public enum RuleEffect: Sendable, Equatable {
    /// Ensure the citizen has an open case on the pathway (reusing one that is open).
    case openCase(responsible: ActorReference)
    /// Hand the open case from its responsible actor to `to`.
    case requestHandoff(to: ActorReference, due: DueRule, reason: String)
    /// Mark the case (`readmission`, `reoffence`): timeline `<flag>_flagged`, notification `case.<flag>`.
    case flag(CaseFlag)
    /// Escalate the open case; with `unlessHandoffAccepted`, only if no handoff of it was ever accepted.
    case escalate(reason: String, unlessHandoffAccepted: Bool)
    case closeCase(CloseOutcome)
}

public enum ActorReference: Sendable, Equatable {
    /// The actor named in the event's `actor` attribute.
    case eventActor
    /// The municipality the citizen lives in at the time of the event (from `citizen.moved`).
    case citizenMunicipality
    case actor(String)
}

public enum DueRule: Sendable, Equatable {
    /// `hours` after the event occurred.
    case hoursAfterEvent(Int)
    /// No later than the end of the date in `attribute`, and `days` earlier when that is still after the event.
    case beforeDate(attribute: String, days: Int)
    /// At a Copenhagen time of day on the Nth Danish working day after the event's date (API.md, Working days).
    case workingDays(WorkingDayDue)

    public func dueAt(for event: CitizenEvent) -> Date? {
        switch self {
        case .hoursAfterEvent(let hours):
            return event.occurredAt.addingTimeInterval(TimeInterval(hours) * 3600)
        case .workingDays(let due):
            // Outside the calendar's years (an event dated centuries away) count whole days instead of failing.
            return (try? due.dueAt(after: event.occurredAt)) ?? event.occurredAt.addingTimeInterval(TimeInterval(due.workingDays) * 86_400)
        case .beforeDate(let attribute, let days):
            guard let date = event.date(attribute) else { return nil }
            let latest = date.adding(days: 1).start()
            let preferred = date.adding(days: 1 - days).start()
            return preferred > event.occurredAt ? preferred : latest
        }
    }
}
