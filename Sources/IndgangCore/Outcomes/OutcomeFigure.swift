/// One group of an outcome answer as a coordinator may see it: counts, rate and Wilson interval, with every
/// count from 1 to 4 suppressed. When the numerator or the denominator is suppressed, so are the rate and
/// the interval (either would give the hidden count away); a zero denominator has no rate.
public struct OutcomeFigure: Sendable, Equatable {
    public let key: String
    public let numerator: Int?
    public let denominator: Int?
    public let rate: Double?
    public let ci95: ClosedRange<Double>?
    public let suppressed: Bool
    /// Episodes left out for incomplete follow-up (nil when 1–4).
    public let censored: Int?
    /// The exact proportion, for comparisons; never shown when `suppressed`.
    public let proportion: Proportion

    public init(key: String, numerator: Int, denominator: Int, censored: Int) {
        self.key = key
        proportion = Proportion(numerator, of: denominator)
        suppressed = SmallCells.hides(numerator) || SmallCells.hides(denominator)
        self.numerator = suppressed ? nil : numerator
        self.denominator = SmallCells.shown(denominator)
        rate = suppressed ? nil : proportion.rate
        ci95 = suppressed ? nil : proportion.wilson95
        self.censored = SmallCells.shown(censored)
    }
}

/// Two cohorts side by side and the difference of their rates (`b − a`) with Newcombe's 95 % interval;
/// nothing is computed from a suppressed cohort.
public struct OutcomeComparison: Sendable, Equatable {
    public let a: OutcomeFigure
    public let b: OutcomeFigure
    public let difference: Double?
    public let ci95: ClosedRange<Double>?
    public let suppressed: Bool

    public init(a: OutcomeFigure, b: OutcomeFigure) {
        self.a = a
        self.b = b
        let result = (a.suppressed || b.suppressed) ? nil : a.proportion.difference(to: b.proportion)
        suppressed = a.suppressed || b.suppressed
        difference = result?.estimate
        ci95 = result?.ci95
    }
}
