import Foundation
import IndgangCore

/// A pathway's rules as JSON, in the rule files' own vocabulary (`GET /v1/pathways/{id}`, `definition`).
struct PathwayDefinitionDTO: Encodable, Sendable {
    struct EligibilityDTO: Encodable, Sendable {
        let min_age: Int?
        let max_age: Int?
        let actor_kinds: [String]
    }

    struct RuleDTO: Encodable, Sendable {
        let name: String
        let on: String
        let when: [String: [String]]
        let actor_kinds: [String]
        let after: AfterDTO?
        let then: [[String: EffectValue]]
    }

    struct AfterDTO: Encodable, Sendable {
        let event: String
        let `where`: [String: [String]]
        let within_days: Int
        let more_than_hours: Double
        let measured_from: String?
    }

    /// An effect's parameters: text, or a nested mapping (a due rule).
    enum EffectValue: Encodable, Sendable {
        case text(String)
        case number(Int)
        case flag(Bool)
        case mapping([String: EffectValue])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .flag(let flag): try container.encode(flag)
            case .mapping(let mapping): try container.encode(mapping)
            }
        }
    }

    let id: String
    let title: String
    let outcome: String?
    let eligibility: EligibilityDTO
    let escalation_actor: String?
    let handoff_due_hours: Int
    let overridable: [String]
    let rules: [RuleDTO]

    init(_ definition: PathwayDefinition) {
        id = definition.id
        title = definition.title
        outcome = definition.outcome
        eligibility = EligibilityDTO(
            min_age: definition.eligibility.minimumAge, max_age: definition.eligibility.maximumAge,
            actor_kinds: definition.eligibility.actorKinds.map(\.rawValue))
        escalation_actor = definition.escalationActor
        handoff_due_hours = definition.handoffDueHours
        overridable = definition.overridable.map(\.rawValue).sorted()
        rules = definition.rules.map(Self.rule)
    }

    static func rule(_ rule: PathwayRule) -> RuleDTO {
        RuleDTO(
            name: rule.name, on: rule.on.rawValue, when: conditions(rule.conditions), actor_kinds: rule.actorKinds.map(\.rawValue),
            after: rule.after.map {
                AfterDTO(
                    event: $0.type.rawValue, where: conditions($0.conditions), within_days: $0.withinDays, more_than_hours: $0.moreThanHours,
                    measured_from: $0.reference)
            },
            then: rule.effects.map(effect))
    }

    static func conditions(_ conditions: [AttributeCondition]) -> [String: [String]] {
        Dictionary(conditions.map { ($0.attribute, $0.values) }, uniquingKeysWith: { first, _ in first })
    }

    static func effect(_ effect: RuleEffect) -> [String: EffectValue] {
        switch effect {
        case .openCase(let responsible):
            return ["open_case": .mapping(["responsible": .text(actor(responsible))])]
        case .requestHandoff(let to, let due, let reason):
            return ["request_handoff": .mapping(["to": .text(actor(to)), "due": Self.due(due), "reason": .text(reason)])]
        case .flag(let flag):
            return ["flag": .text(flag.rawValue)]
        case .escalate(let reason, let unless):
            var fields: [String: EffectValue] = ["reason": .text(reason)]
            if unless { fields["unless"] = .text("handoff_accepted") }
            return ["escalate": .mapping(fields)]
        case .closeCase(let outcome):
            return ["close_case": .mapping(["outcome": .text(outcome.rawValue)])]
        }
    }

    static func actor(_ reference: ActorReference) -> String {
        switch reference {
        case .eventActor: "event_actor"
        case .citizenMunicipality: "citizen_municipality"
        case .actor(let slug): slug
        }
    }

    static func due(_ rule: DueRule) -> EffectValue {
        switch rule {
        case .hoursAfterEvent(let hours): .mapping(["hours_after_event": .number(hours)])
        case .beforeDate(let attribute, let days): .mapping(["before_date": .text(attribute), "days": .number(days)])
        case .workingDays(let due): .mapping(["working_days": .number(due.workingDays), "at": .text(due.at.description)])
        }
    }
}
