import Foundation
import IndgangCore
import IndgangStore

/// An outcome answer: `{definition, groups, comparison?}`. Every optional is written as an explicit `null`
/// (a suppressed group has `numerator`, `rate` and `ci95` null, not absent).
struct OutcomeAnswerDTO: Encodable, Sendable {
    let definition: OutcomeDefinitionDTO
    let groups: [OutcomeGroupDTO]
    let comparison: OutcomeComparisonDTO?

    enum CodingKeys: String, CodingKey { case definition, groups, comparison }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(definition, forKey: .definition)
        try container.encode(groups, forKey: .groups)
        try container.encodeIfPresent(comparison, forKey: .comparison)
    }
}

/// What a figure means, so it can be cited: the text, and every parameter that shaped this answer.
struct OutcomeDefinitionDTO: Encodable, Sendable {
    let id: String
    let title: String
    let text: String
    let numerator: String
    let denominator: String
    let censoring: String
    let interval = "Wilson score interval, 95 % (comparisons: Newcombe's hybrid score interval for the difference b − a)"
    let goal_status = """
        A group's goal is its variant's own goal for the measure (group_by or compare by variant, or the variant a municipality ran \
        on the period's first day), else the base pathway's: the latest whose `from` the period's first day has reached; null where \
        none applies. status is met when the whole 95 % interval lies on the good side of the target (below it for direction \
        below, above it for above), not_met when it lies wholly on the other side, and undetermined when it straddles the \
        target or the group is suppressed.
        """
    let suppression = Suppression()

    /// The disclosure control applied to every answer (API.md, "Disclosure control for coordinators").
    struct Suppression: Encodable, Sendable {
        let threshold = DisclosureControl.threshold
        let complementary = true
        let rules = """
            Counts from 1 to 4 are null, and with them the rate and interval; a group whose denominator is hidden hides its numerator. \
            Within one answer, when exactly one cell of a column is hidden or the hidden cells add up to 1–4, the next smallest \
            non-zero cell is hidden too, so no total minus the visible groups recovers a small count. A filter (actor, municipality, \
            or a compared cohort) whose population in the window has fewer than 5 episodes shows every group suppressed. Windows \
            are whole months. Medians and p90 over fewer than 5 accepted handoffs are not shown.
            """
    }
    let parameters: [String: ParameterValue]

    enum ParameterValue: Encodable, Sendable {
        case text(String?)
        case number(Int?)
        case list([String])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .list(let value): try container.encode(value)
            }
        }
    }
}

struct OutcomeGroupDTO: Encodable, Sendable {
    let figure: OutcomeFigure
    /// Handoff performance only.
    let handoff: HandoffExtras?
    /// The pathway's (or the group's variant's) goal for the measure, where one applies; readmissions and recidivism.
    var goal: GoalDTO?

    init(figure: OutcomeFigure, handoff: HandoffExtras?) {
        self.figure = figure
        self.handoff = handoff
    }

    struct GoalDTO: Encodable, Sendable {
        let target: Double
        let direction: String
        let from: String
        let status: String

        init(goal: PathwayGoal, status: PathwayGoal.Status) {
            target = goal.target
            direction = goal.direction.rawValue
            from = goal.from.description
            self.status = status.rawValue
        }
    }

    struct HandoffExtras: Sendable {
        let pathway: String
        let fromActor: String
        let toActor: String
        let rejected: Int?
        let overdue: Int?
        let medianHoursToAccept: Double?
        let p90HoursToAccept: Double?
        /// handoffs_accepted_in_time: accepted by `due_at` out of requested; nil when hidden.
        var acceptedInTime: Proportion? = nil
        /// The times to acceptance counting only the hours of Danish working days.
        var medianWorkingHoursToAccept: Double? = nil
        var p90WorkingHoursToAccept: Double? = nil
    }

    enum CodingKeys: String, CodingKey {
        case key, numerator, denominator, rate, ci95, suppressed, censored, goal
        case pathway, from_actor, to_actor, requested, accepted, rejected, overdue, median_hours_to_accept, p90_hours_to_accept
        case accepted_in_time, accepted_in_time_rate, accepted_in_time_ci95, median_working_hours_to_accept, p90_working_hours_to_accept
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(figure.key, forKey: .key)
        try container.encode(figure.numerator, forKey: .numerator)
        try container.encode(figure.denominator, forKey: .denominator)
        try container.encodeOrNull(figure.rate.map(Self.rounded), forKey: .rate)
        try container.encodeOrNull(figure.ci95.map { [Self.rounded($0.lowerBound), Self.rounded($0.upperBound)] }, forKey: .ci95)
        try container.encode(figure.suppressed, forKey: .suppressed)
        if let handoff {
            try container.encode(handoff.pathway, forKey: .pathway)
            try container.encode(handoff.fromActor, forKey: .from_actor)
            try container.encode(handoff.toActor, forKey: .to_actor)
            try container.encode(figure.denominator, forKey: .requested)
            try container.encode(figure.numerator, forKey: .accepted)
            try container.encodeOrNull(handoff.rejected, forKey: .rejected)
            try container.encodeOrNull(handoff.overdue, forKey: .overdue)
            try container.encodeOrNull(handoff.medianHoursToAccept.map { Self.rounded($0, places: 2) }, forKey: .median_hours_to_accept)
            try container.encodeOrNull(handoff.p90HoursToAccept.map { Self.rounded($0, places: 2) }, forKey: .p90_hours_to_accept)
            try container.encodeOrNull(handoff.medianWorkingHoursToAccept.map { Self.rounded($0, places: 2) }, forKey: .median_working_hours_to_accept)
            try container.encodeOrNull(handoff.p90WorkingHoursToAccept.map { Self.rounded($0, places: 2) }, forKey: .p90_working_hours_to_accept)
            try container.encodeOrNull(handoff.acceptedInTime?.numerator, forKey: .accepted_in_time)
            try container.encodeOrNull(handoff.acceptedInTime?.rate.map(Self.rounded), forKey: .accepted_in_time_rate)
            try container.encodeOrNull(
                handoff.acceptedInTime?.wilson95.map { [Self.rounded($0.lowerBound), Self.rounded($0.upperBound)] }, forKey: .accepted_in_time_ci95)
            try container.encodeOrNull(goal, forKey: .goal)
        } else {
            try container.encode(figure.censored, forKey: .censored)
            try container.encodeOrNull(goal, forKey: .goal)
        }
    }

    static func rounded(_ value: Double) -> Double { rounded(value, places: 4) }

    static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10.0, Double(places))
        return (value * scale).rounded() / scale
    }
}

struct OutcomeComparisonDTO: Encodable, Sendable {
    let comparison: OutcomeComparison

    enum CodingKeys: String, CodingKey { case a, b, difference, ci95, suppressed }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(comparison.a.key, forKey: .a)
        try container.encode(comparison.b.key, forKey: .b)
        try container.encodeOrNull(comparison.difference.map(OutcomeGroupDTO.rounded), forKey: .difference)
        try container.encodeOrNull(
            comparison.ci95.map { [OutcomeGroupDTO.rounded($0.lowerBound), OutcomeGroupDTO.rounded($0.upperBound)] }, forKey: .ci95)
        try container.encode(comparison.suppressed, forKey: .suppressed)
    }
}

/// `null` when absent, exactly as encoding the optional itself, but through the concrete `encode` of the value:
/// Foundation's JSONEncoder wraps every optional passed as a generic value in an encoder of its own, and the
/// five-year monthly handoff answer (4,000 groups × 11 optionals) spent 14 % of its CPU there (perf, 2026-12-04).
/// Numbers have overloads of their own, so that they reach the container's non-generic `encode`.
extension KeyedEncodingContainer {
    mutating func encodeOrNull(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeOrNull(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeOrNull<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
