/// A shared goal for an outcome measure: `{measure: readmissions, target: 0.15, direction: below, from: 2026-01-01}`.
public struct PathwayGoal: Sendable, Equatable, Hashable {
    public enum Measure: String, Sendable, CaseIterable, Codable {
        case readmissions
        case recidivism
        case handoffsAcceptedInTime = "handoffs_accepted_in_time"
    }

    public enum Direction: String, Sendable, CaseIterable, Codable {
        /// Lower is better (readmissions, recidivism).
        case below
        /// Higher is better (handoffs accepted in time).
        case above
    }

    public enum Status: String, Sendable, Codable {
        /// The whole 95 % interval lies on the good side of the target.
        case met
        /// The whole interval lies on the other side.
        case notMet = "not_met"
        /// The interval straddles the target, or the group is suppressed.
        case undetermined
    }

    public let measure: Measure
    public let target: Double
    public let direction: Direction
    public let from: CalendarDate

    public init(measure: Measure, target: Double, direction: Direction, from: CalendarDate) {
        self.measure = measure
        self.target = target
        self.direction = direction
        self.from = from
    }

    /// Judged on the interval, never on the point estimate: a small group whose interval crosses the target
    /// has shown nothing either way. A suppressed group (no interval) is undetermined.
    public func status(lower: Double?, upper: Double?) -> Status {
        guard let lower, let upper else { return .undetermined }
        switch direction {
        case .below:
            if upper < target { return .met }
            if lower > target { return .notMet }
        case .above:
            if lower > target { return .met }
            if upper < target { return .notMet }
        }
        return .undetermined
    }

    /// Whether the goal applies to figures of a period starting on `start`: from its `from` date on.
    public func applies(toPeriodStarting start: CalendarDate) -> Bool { start >= from }
}
