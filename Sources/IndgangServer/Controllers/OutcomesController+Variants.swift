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

    /// The `handoffs_accepted_in_time` goal of a handoff group's pathway, judged on the in-time share's interval.
    func handoffGoal(pathway: String, key: String, inTime: Proportion?, parameters: Parameters) -> OutcomeGroupDTO.GoalDTO? {
        guard let base = pathways.definition(pathway) else { return nil }
        return goal(.handoffsAcceptedInTime, of: base, groupKey: key, parameters: parameters, interval: inTime?.wilson95)
    }

    /// The readmission or recidivism goal of a group, judged on its interval.
    func goal(for figure: OutcomeFigure, measure: OutcomeMeasure, parameters: Parameters) -> OutcomeGroupDTO.GoalDTO? {
        let bases = bases(measure: measure, pathway: parameters.pathway)
        guard bases.count == 1, let base = bases.first else { return nil }
        return goal(measure == .readmission ? .readmissions : .recidivism, of: base, groupKey: figure.key, parameters: parameters, interval: figure.ci95)
    }

    /// The goal that applies to a group: the goal of the variant the group ran under (by variant; or the variant a
    /// municipality — grouped, compared or filtered on — ran on the period's first day), in the version in force
    /// then, else the base pathway's; the latest whose `from` the period's first day has reached.
    func goal(
        _ measure: PathwayGoal.Measure, of base: PathwayDefinition, groupKey: String, parameters: Parameters, interval: ClosedRange<Double>?
    ) -> OutcomeGroupDTO.GoalDTO? {
        let key = groupKey.split(separator: ":", maxSplits: 1).last.map(String.init) ?? groupKey
        var start = parameters.from
        if parameters.groupBy == .month, let month = CalendarDate(iso: key + "-01") { start = month }
        if case .period(let date)? = parameters.compare, groupKey.hasPrefix("from") { start = date }
        var variantID: String?
        var municipality = parameters.municipality
        switch (parameters.groupBy, parameters.compare) {
        case (.variant?, _), (_, .variant?): variantID = key == base.id ? nil : key
        case (.municipality?, _), (_, .municipality?): municipality = key
        default: break
        }
        if variantID == nil, let municipality {
            variantID = pathways.ruleSet.governing(base.id, municipality: municipality, on: start)?.variant?.id
        }
        guard let goal = variantGoal(variantID, measure: measure, on: start) ?? latest(base.goals, measure, on: start) else { return nil }
        return OutcomeGroupDTO.GoalDTO(goal: goal, status: goal.status(lower: interval?.lowerBound, upper: interval?.upperBound))
    }

    /// The goals of the version of `variantID` in force on `date` (the first version's before it starts).
    func variantGoal(_ variantID: String?, measure: PathwayGoal.Measure, on date: CalendarDate) -> PathwayGoal? {
        let versions = pathways.ruleSet.variants.filter { $0.id == variantID }.sorted { $0.validFrom < $1.validFrom }
        guard let version = versions.last(where: { $0.validFrom <= date }) ?? versions.first else { return nil }
        return latest(version.goals, measure, on: date)
    }

    func latest(_ goals: [PathwayGoal], _ measure: PathwayGoal.Measure, on date: CalendarDate) -> PathwayGoal? {
        goals.filter { $0.measure == measure && $0.applies(toPeriodStarting: date) }.max { $0.from < $1.from }
    }
}
