import Foundation
import IndgangCore

/// One base pathway or one version of a variant in the catalogue (`GET /v1/pathways`), and with `detail` its
/// rules, source text and what it changes from its base (`GET /v1/pathways/{id}`).
struct PathwayDTO: Encodable, Sendable {
    struct GoalDTO: Encodable, Sendable {
        let measure: String
        let target: Double
        let direction: String
        let from: String

        init(_ goal: PathwayGoal) {
            measure = goal.measure.rawValue
            target = goal.target
            direction = goal.direction.rawValue
            from = goal.from.description
        }
    }

    /// One parameter a variant sets, beside the base's value.
    struct ParameterChange: Encodable, Sendable {
        let parameter: String
        let base: PathwayDefinitionDTO.EffectValue?
        let variant: PathwayDefinitionDTO.EffectValue
    }

    struct Overrides: Encodable, Sendable {
        let parameters: [ParameterChange]
        let added_rules: [PathwayDefinitionDTO.RuleDTO]
    }

    struct VersionDTO: Encodable, Sendable {
        let version: Int
        let valid_from: String
        let municipalities: [String]
    }

    let id: String
    let title: String
    /// Null for a base pathway: its file has no versions (the rule set's digest identifies what is loaded).
    let version: Nullable<Int>
    let extends: String?
    let adopts: String?
    let municipalities: [String]?
    let valid_from: String?
    let adopted_by: [String]
    let goals: [GoalDTO]
    var versions: [VersionDTO]?
    var definition: PathwayDefinitionDTO?
    var source: String?
    var overrides: Overrides?

    init(base: PathwayDefinition, ruleSet: PathwayRuleSet) {
        id = base.id
        title = base.title
        version = Nullable(nil)
        extends = nil
        adopts = nil
        municipalities = nil
        valid_from = nil
        adopted_by = []
        goals = base.goals.map(GoalDTO.init)
    }

    init(variant: PathwayVariant, ruleSet: PathwayRuleSet) {
        id = variant.id
        title = variant.title
        version = Nullable(variant.version)
        extends = ruleSet.resolution(of: variant.reference)?.base
        adopts = variant.adopted?.description
        municipalities = variant.municipalities
        valid_from = variant.validFrom.description
        adopted_by = ruleSet.adopters(of: variant.id)
        goals = variant.goals.map(GoalDTO.init)
    }

    /// What `variant` changes in its base: each overridden parameter beside the base's value, and its own rules.
    static func overrides(of variant: PathwayVariant, ruleSet: PathwayRuleSet) -> Overrides? {
        guard let (baseID, rulesReference) = ruleSet.resolution(of: variant.reference),
            let base = ruleSet.bases.first(where: { $0.id == baseID }),
            let source = ruleSet.variants.first(where: { $0.reference == rulesReference }),
            case .extends(_, let overrides, let rules) = source.content
        else { return nil }
        var changes: [ParameterChange] = []
        if let due = overrides.handoffDue {
            let baseDues = base.rules.flatMap(\.effects).compactMap { effect -> DueRule? in
                if case .requestHandoff(_, let due, _) = effect { return due }
                return nil
            }
            changes.append(ParameterChange(parameter: PathwayParameter.handoffDue.rawValue, base: baseDues.first.map(PathwayDefinitionDTO.due), variant: PathwayDefinitionDTO.due(due)))
        }
        if let actor = overrides.escalationActor {
            changes.append(ParameterChange(parameter: PathwayParameter.escalationActor.rawValue, base: base.escalationActor.map { .text($0) }, variant: .text(actor)))
        }
        if overrides.minimumAge != nil || overrides.maximumAge != nil {
            func ages(_ minimum: Int?, _ maximum: Int?) -> PathwayDefinitionDTO.EffectValue {
                .mapping(Dictionary(uniqueKeysWithValues: [("min", minimum), ("max", maximum)].compactMap { key, value in value.map { (key, .number($0)) } }))
            }
            changes.append(
                ParameterChange(
                    parameter: PathwayParameter.eligibilityAge.rawValue, base: ages(base.eligibility.minimumAge, base.eligibility.maximumAge),
                    variant: ages(overrides.minimumAge ?? base.eligibility.minimumAge, overrides.maximumAge ?? base.eligibility.maximumAge)))
        }
        return Overrides(parameters: changes, added_rules: rules.map(PathwayDefinitionDTO.rule))
    }
}
