/// One group of an outcome answer, as the API gives it. Suppressed counts are nil; `rate` and `ci95` are nil
/// when suppressed (and ignored if not).
public struct OutcomeGroup: Sendable, Equatable {
    public var key: String
    /// How to name the group ("København (101)"); by default derived from the key (months as `jan. 2026`).
    public var label: String?
    public var numerator: Int?
    public var denominator: Int?
    public var rate: Double?
    public var ci95: ClosedRange<Double>?
    public var suppressed: Bool
    public var censored: Int?
    public var goal: OutcomeGoal?

    public init(
        key: String, label: String? = nil, numerator: Int?, denominator: Int?, rate: Double?, ci95: ClosedRange<Double>?,
        suppressed: Bool, censored: Int? = nil, goal: OutcomeGoal? = nil
    ) {
        self.key = key
        self.label = label
        self.numerator = numerator
        self.denominator = denominator
        self.rate = rate
        self.ci95 = ci95
        self.suppressed = suppressed
        self.censored = censored
        self.goal = goal
    }

    func displayLabel(groupBy: String?) -> String {
        if let label { return label }
        switch groupBy {
        case "month": return DanishFormat.month(isoMonth: key) ?? key
        case "age_band": return key + " år"
        default: return key.isEmpty || key == "all" ? "Alle" : key
        }
    }

    func bar(labelled label: String) -> ChartBar { ChartBar(label: label, rate: rate, interval: ci95, suppressed: suppressed) }
}
