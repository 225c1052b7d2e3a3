import Foundation
import IndgangCore
import IndgangStore

/// Figures by local variant and the shared goals (API.md, "Pathway variants, goals and working days").
extension OutcomesController {
    /// The bases whose cases feed `measure` (all bases for handoffs), narrowed to `pathway` when one is asked for.
    func bases(measure: OutcomeMeasure?, pathway: PathwayDefinition?) -> [PathwayDefinition] {
        pathways.definitions.filter { base in
            (measure.map { base.outcome == $0.rawValue } ?? true) && (pathway.map { $0.id == base.id } ?? true)
        }
    }

    /// Where and when each variant of those bases ran: a figure's group is the variant in force for the episode's
    /// municipality on its date — the adopted variant for an adopting municipality — else the base's id.
    func variantSegments(measure: OutcomeMeasure?, pathway: PathwayDefinition?) -> VariantSegments {
        let bases = bases(measure: measure, pathway: pathway)
        var segments: [VariantSegments.Segment] = []
        for base in bases {
            for (municipality, tenures) in pathways.ruleSet.tenures(of: base.id).sorted(by: { $0.key < $1.key }) {
                for tenure in tenures {
                    segments.append(.init(pathway: base.id, municipality: municipality, from: tenure.from, until: tenure.until, key: tenure.governing.id))
                }
            }
        }
        return VariantSegments(baseKey: bases.count == 1 ? bases[0].id : "base", segments: segments)
    }

    /// The group keys `group_by=variant` can give for `measure`: the variants' ids and the base's.
    func variantKeys(measure: OutcomeMeasure?) -> Set<String> {
        let segments = variantSegments(measure: measure, pathway: nil)
        return Set(segments.segments.map(\.key) + [segments.baseKey])
    }

    /// The `handoffs_accepted_in_time` goal of a handoff group's pathway (its variant's, when grouped by variant),
    /// judged on the in-time share's interval.
    func handoffGoal(pathway: String, key: String, inTime: Proportion?, parameters: Parameters) -> OutcomeGroupDTO.GoalDTO? {
        guard let base = pathways.definition(pathway) else { return nil }
        var start = parameters.from
        if parameters.groupBy == .month, let month = CalendarDate(iso: key + "-01") { start = month }
        let variantID = parameters.groupBy == .variant && key != pathway ? key : nil
        let variantGoals = pathways.ruleSet.variants.filter { $0.id == variantID }.flatMap(\.goals)
        func latest(_ goals: [PathwayGoal]) -> PathwayGoal? {
            goals.filter { $0.measure == .handoffsAcceptedInTime && $0.applies(toPeriodStarting: start) }.max { $0.from < $1.from }
        }
        guard let goal = latest(variantGoals) ?? latest(base.goals) else { return nil }
        let interval = inTime?.wilson95
        return OutcomeGroupDTO.GoalDTO(goal: goal, status: goal.status(lower: interval?.lowerBound, upper: interval?.upperBound))
    }

    /// The goal that applies to a group, judged on its interval: the group's variant's own goal for the measure
    /// (by variant, or the variant a municipality ran on the period's first day), else the base pathway's — the
    /// latest whose `from` the period's first day has reached.
    func goal(for figure: OutcomeFigure, measure: OutcomeMeasure, parameters: Parameters) -> OutcomeGroupDTO.GoalDTO? {
        let goalMeasure: PathwayGoal.Measure = measure == .readmission ? .readmissions : .recidivism
        let bases = bases(measure: measure, pathway: parameters.pathway)
        guard bases.count == 1, let base = bases.first else { return nil }
        var start = parameters.from
        var variantID: String?
        switch (parameters.groupBy, parameters.compare) {
        case (.month?, _):
            start = CalendarDate(iso: figure.key + "-01") ?? start
        case (_, .period(let date)?):
            if figure.key.hasPrefix("from") { start = date }
        case (.variant?, _), (_, .variant?):
            variantID = figure.key.hasPrefix("variant:") ? String(figure.key.dropFirst("variant:".count)) : figure.key
        case (.municipality?, _), (_, .municipality?):
            let code = figure.key.hasPrefix("municipality:") ? String(figure.key.dropFirst("municipality:".count)) : figure.key
            variantID = pathways.ruleSet.governing(base.id, municipality: code, on: start)?.variant?.id
        default:
            if let municipality = parameters.municipality {
                variantID = pathways.ruleSet.governing(base.id, municipality: municipality, on: start)?.variant?.id
            }
        }
        let variantGoals = pathways.ruleSet.variants.filter { $0.id == variantID }.flatMap(\.goals)
        func latest(_ goals: [PathwayGoal]) -> PathwayGoal? {
            goals.filter { $0.measure == goalMeasure && $0.applies(toPeriodStarting: start) }.max { $0.from < $1.from }
        }
        guard let goal = latest(variantGoals) ?? latest(base.goals) else { return nil }
        return OutcomeGroupDTO.GoalDTO(goal: goal, status: goal.status(lower: figure.ci95?.lowerBound, upper: figure.ci95?.upperBound))
    }
}
