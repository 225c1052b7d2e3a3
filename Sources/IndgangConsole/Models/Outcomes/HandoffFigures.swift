/// One group of `/v1/outcomes/handoffs`: a pathway and a pair of sending and receiving actor. Counts of 1–4
/// and times over fewer than 5 accepted handoffs are nil (suppressed).
public struct HandoffFigures: Sendable, Equatable {
    public var key: String
    public var pathway: String
    /// Names (or slugs) of the sending and receiving actor.
    public var from: String
    public var to: String
    public var requested: Int?
    public var accepted: Int?
    public var rejected: Int?
    public var overdue: Int?
    public var medianHoursToAccept: Double?
    public var p90HoursToAccept: Double?
    /// Accepted / requested.
    public var rate: Double?
    public var ci95: ClosedRange<Double>?
    public var suppressed: Bool
    public var goal: OutcomeGoal?

    public init(
        key: String, pathway: String, from: String, to: String, requested: Int?, accepted: Int?, rejected: Int?, overdue: Int?,
        medianHoursToAccept: Double?, p90HoursToAccept: Double?, rate: Double?, ci95: ClosedRange<Double>?, suppressed: Bool,
        goal: OutcomeGoal? = nil
    ) {
        self.key = key
        self.pathway = pathway
        self.from = from
        self.to = to
        self.requested = requested
        self.accepted = accepted
        self.rejected = rejected
        self.overdue = overdue
        self.medianHoursToAccept = medianHoursToAccept
        self.p90HoursToAccept = p90HoursToAccept
        self.rate = rate
        self.ci95 = ci95
        self.suppressed = suppressed
        self.goal = goal
    }

    var label: String { "\(from) → \(to)" }
}
