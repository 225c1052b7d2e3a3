import Foundation

/// The pure rules engine: from a citizen's whole history, read in `occurred_at` order, it derives every
/// effect the pathways call for. Because it always reads the complete ordered history, the effects do not
/// depend on the order in which events arrived; the store applies the ones a new event adds (`newEffects`).
///
/// Which rules decide an event is itself read from the history: the variant in force for the municipality the
/// citizen lived in (by the ordered `citizen.moved` events) on the event's Danish date, so a late move re-decides
/// like any late event, and a version never decides events dated before its `valid_from`.
public struct PathwayEngine: Sendable {
    public let ruleSet: PathwayRuleSet
    public var pathways: [PathwayDefinition] { ruleSet.bases }

    public init(ruleSet: PathwayRuleSet) {
        self.ruleSet = ruleSet
    }

    public init(pathways: [PathwayDefinition]) {
        self.init(ruleSet: PathwayRuleSet(bases: pathways))
    }

    public func plan(birthDate: CalendarDate, history unsorted: [CitizenEvent]) -> [PlannedEffect] {
        let history = AcuteAdmission.effective(unsorted.sorted(by: CitizenEvent.chronological))
        // Where the citizen lived decides the variant: the moves are sorted once, and only when a base has variants.
        let moves = ruleSet.bases.contains { ruleSet.hasVariants($0.id) } ? Self.moves(in: history) : []
        var planned: [PlannedEffect] = []
        for (position, event) in history.enumerated() {
            let municipality = moves.isEmpty ? nil : Self.municipality(at: event, moves: moves)
            for base in ruleSet.bases {
                guard let governing = ruleSet.governing(base.id, municipality: municipality, on: CalendarDate(event.occurredAt)) else { continue }
                let pathway = governing.definition
                for (ruleIndex, rule) in pathway.rules.enumerated() where matches(rule, event: event, history: history, position: position) {
                    for (effectIndex, effect) in rule.effects.enumerated() {
                        guard let action = resolve(effect, pathway: pathway, event: event, birthDate: birthDate, history: history) else { continue }
                        planned.append(
                            PlannedEffect(
                                slot: "\(pathway.id)#\(governing.ruleKeys[ruleIndex]).\(effectIndex)@\(event.id.lowercasedString)",
                                pathway: pathway.id, variant: governing.variant, eventID: event.id, occurredAt: event.occurredAt, action: action))
                    }
                }
            }
        }
        return planned
    }

    /// The effects that `newEvent` adds to (or changes in) what `history` already called for.
    public func newEffects(birthDate: CalendarDate, history: [CitizenEvent], adding newEvents: [CitizenEvent]) -> [PlannedEffect] {
        changes(birthDate: birthDate, history: history, adding: newEvents).added
    }

    /// The whole plan with the new events (in order), and which of its slots they add or change.
    public func changes(birthDate: CalendarDate, history: [CitizenEvent], adding newEvents: [CitizenEvent]) -> (
        all: [PlannedEffect], added: [PlannedEffect]
    ) {
        let revision = revise(birthDate: birthDate, from: history, to: history + newEvents)
        return (revision.all, revision.changed)
    }

    /// What changes when the history the rules read changes from `before` to `after` (an arrival, a retraction
    /// or a correction).
    public func revise(birthDate: CalendarDate, from before: [CitizenEvent], to after: [CitizenEvent]) -> PlanRevision {
        PlanRevision(before: plan(birthDate: birthDate, history: before), after: plan(birthDate: birthDate, history: after))
    }

    func matches(_ rule: PathwayRule, event: CitizenEvent, history: [CitizenEvent], position: Int) -> Bool {
        guard rule.on == event.type, rule.conditions.allSatisfy({ $0.holds(for: event) }) else { return false }
        if !rule.actorKinds.isEmpty, !(event.actorKind.map(rule.actorKinds.contains) ?? false) { return false }
        guard let after = rule.after else { return true }
        let reference: Date
        if let attribute = after.reference {
            guard let date = event.date(attribute) else { return false }
            reference = date.start()
        } else {
            reference = event.occurredAt
        }
        // Measured from `occurred_at`, the prior event is one earlier in the ordered history. Measured from a
        // date attribute (an offence date), it is any event before that date, whenever it occurred or arrived.
        let candidates = after.reference == nil ? history[..<position] : history[...]
        return candidates.contains { prior in
            guard prior.type == after.type, prior.id != event.id, after.conditions.allSatisfy({ $0.holds(for: prior) }) else { return false }
            return after.admits(gap: reference.timeIntervalSince(prior.occurredAt))
        }
    }

    func resolve(
        _ effect: RuleEffect, pathway: PathwayDefinition, event: CitizenEvent, birthDate: CalendarDate, history: [CitizenEvent]
    ) -> PlannedAction? {
        switch effect {
        case .openCase(let responsible):
            guard pathway.eligibility.admits(birthDate: birthDate, on: CalendarDate(event.occurredAt), actorKind: event.actorKind) else {
                return nil
            }
            return .openCase(responsible: resolve(responsible, event: event, history: history))
        case .requestHandoff(let to, let due, let reason):
            guard let dueAt = due.dueAt(for: event) else { return nil }
            return .requestHandoff(to: resolve(to, event: event, history: history), dueAt: dueAt, reason: reason)
        case .flag(let name):
            return .flag(name)
        case .escalate(let reason, let unless):
            return .escalate(reason: reason, unlessHandoffAccepted: unless)
        case .closeCase(let outcome):
            return .closeCase(outcome)
        }
    }

    func resolve(_ reference: ActorReference, event: CitizenEvent, history: [CitizenEvent]) -> ResolvedActor {
        switch reference {
        case .actor(let slug): return .slug(slug)
        case .eventActor: return event.attributes["actor"].map(ResolvedActor.slug) ?? .unknownMunicipality
        case .citizenMunicipality:
            return Self.municipality(at: event, history: history).map { .municipality(code: $0) } ?? .unknownMunicipality
        }
    }

    /// Where the citizen lived when `event` occurred: the latest `citizen.moved` up to then; failing that the
    /// first one after (the earliest residence known is taken to have held before it too).
    public static func municipality(at event: CitizenEvent, history: [CitizenEvent]) -> String? {
        municipality(at: event, moves: moves(in: history))
    }

    /// The `citizen.moved` events of a history, in order.
    static func moves(in history: [CitizenEvent]) -> [CitizenEvent] {
        history.filter { $0.type == .citizenMoved }.sorted(by: CitizenEvent.chronological)
    }

    static func municipality(at event: CitizenEvent, moves: [CitizenEvent]) -> String? {
        let upToEvent = moves.last { !CitizenEvent.chronological(event, $0) }
        return (upToEvent ?? moves.first)?.attributes["municipality_code"]
    }
}
