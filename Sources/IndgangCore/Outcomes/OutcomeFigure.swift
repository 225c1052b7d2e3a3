/// One group of an outcome answer as a coordinator may see it: counts, rate and Wilson interval, with the
/// cells `DisclosureControl` hides withheld. When the numerator or the denominator is hidden, so are the rate
/// and the interval (either would give the hidden count away); a zero denominator has no rate.
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

    /// A group on its own (primary suppression only); answers with several groups use `DisclosureControl.figures`.
    public init(key: String, numerator: Int, denominator: Int, censored: Int) {
        self.init(
            key: key, numerator: numerator, denominator: denominator, censored: censored,
            hidden: (SmallCells.hides(numerator) || SmallCells.hides(denominator), SmallCells.hides(denominator), SmallCells.hides(censored)))
    }

    public init(key: String, numerator: Int, denominator: Int, censored: Int, hidden: (numerator: Bool, denominator: Bool, censored: Bool)) {
        self.key = key
        proportion = Proportion(numerator, of: denominator)
        suppressed = hidden.numerator || hidden.denominator
        self.numerator = suppressed ? nil : numerator
        self.denominator = hidden.denominator ? nil : denominator
        rate = suppressed ? nil : proportion.rate
        ci95 = suppressed ? nil : proportion.wilson95
        self.censored = hidden.censored ? nil : censored
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
