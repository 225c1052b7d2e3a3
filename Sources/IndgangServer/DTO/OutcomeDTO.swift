import Foundation
import IndgangCore
import IndgangStore

/// An outcome answer: `{comparison?, definition, groups}`. Every optional of a group is written as an explicit
/// `null` (a suppressed group has `numerator`, `rate` and `ci95` null, not absent).
struct OutcomeAnswerDTO: Sendable {
    let definition: OutcomeDefinitionDTO
    let groups: [OutcomeGroupDTO]
    let comparison: OutcomeComparisonDTO?

    /// The answer's JSON: the definition and the comparison by `JSONCoding.encoder`, the groups by `JSONText`.
    func json() throws -> [UInt8] {
        var text = JSONText(capacity: 1_024 + groups.count * 512)
        text.appendJSON("{")
        if let comparison {
            text.appendJSON("\"comparison\":")
            text.appendJSON(try JSONCoding.encoder.encode(comparison))
            text.appendJSON(",")
        }
        text.appendJSON("\"definition\":")
        text.appendJSON(try JSONCoding.encoder.encode(definition))
        text.appendJSON(",\"groups\":[")
        for (index, group) in groups.enumerated() {
            if index > 0 { text.appendJSON(",") }
            text.append(group.json)
        }
        text.appendJSON("]}")
        return text.bytes
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

struct OutcomeGroupDTO: Sendable {
    let figure: OutcomeFigure
    /// Handoff performance only.
    let handoff: HandoffExtras?
    /// The pathway's (or the group's variant's) goal for the measure, where one applies; readmissions and recidivism.
    var goal: GoalDTO?

    init(figure: OutcomeFigure, handoff: HandoffExtras?) {
        self.figure = figure
        self.handoff = handoff
    }

    struct GoalDTO: Sendable {
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

        var json: JSONText.Value {
            .object([("target", .double(target)), ("direction", .string(direction)), ("from", .string(from)), ("status", .string(status))])
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

    /// The group's members, listed in key order (what `JSONText` writes; it would sort them otherwise).
    var json: JSONText.Value {
        let interval = { (range: ClosedRange<Double>?) -> JSONText.Value in
            range.map { .array([.double(Self.rounded($0.lowerBound)), .double(Self.rounded($0.upperBound))]) } ?? .null
        }
        let (numerator, denominator) = (Self.number(figure.numerator), Self.number(figure.denominator))
        let (rate, goal) = (Self.number(figure.rate.map(Self.rounded)), goal?.json ?? .null)
        guard let handoff else {
            return .object([
                ("censored", Self.number(figure.censored)), ("ci95", interval(figure.ci95)), ("denominator", denominator), ("goal", goal),
                ("key", .string(figure.key)), ("numerator", numerator), ("rate", rate), ("suppressed", .bool(figure.suppressed)),
            ])
        }
        let hours = { (value: Double?) in Self.number(value.map { Self.rounded($0, places: 2) }) }
        let inTime = handoff.acceptedInTime
        return .object([
            ("accepted", numerator), ("accepted_in_time", Self.number(inTime?.numerator)), ("accepted_in_time_ci95", interval(inTime?.wilson95)),
            ("accepted_in_time_rate", Self.number(inTime?.rate.map(Self.rounded))), ("ci95", interval(figure.ci95)), ("denominator", denominator),
            ("from_actor", .string(handoff.fromActor)), ("goal", goal), ("key", .string(figure.key)),
            ("median_hours_to_accept", hours(handoff.medianHoursToAccept)),
            ("median_working_hours_to_accept", hours(handoff.medianWorkingHoursToAccept)), ("numerator", numerator),
            ("overdue", Self.number(handoff.overdue)), ("p90_hours_to_accept", hours(handoff.p90HoursToAccept)),
            ("p90_working_hours_to_accept", hours(handoff.p90WorkingHoursToAccept)), ("pathway", .string(handoff.pathway)), ("rate", rate),
            ("rejected", Self.number(handoff.rejected)), ("requested", denominator), ("suppressed", .bool(figure.suppressed)),
            ("to_actor", .string(handoff.toActor)),
        ])
    }

    private static func number(_ value: Int?) -> JSONText.Value { value.map { .int($0) } ?? .null }
    private static func number(_ value: Double?) -> JSONText.Value { value.map { .double($0) } ?? .null }

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

/// `null` when absent, as `encode` of the optional itself writes it, said where it is meant.
extension KeyedEncodingContainer {
    mutating func encodeOrNull<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
