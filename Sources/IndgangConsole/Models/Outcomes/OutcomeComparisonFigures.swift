/// A comparison of two groups (`comparison: {a, b, difference, ci95, suppressed}`): periods (before / from a
/// date), municipalities, actors, age bands or variants. `difference` is b − a, a fraction.
public struct OutcomeComparisonFigures: Sendable, Equatable {
    public var a: OutcomeGroup
    public var b: OutcomeGroup
    public var difference: Double?
    public var ci95: ClosedRange<Double>?
    public var suppressed: Bool

    public init(a: OutcomeGroup, b: OutcomeGroup, difference: Double?, ci95: ClosedRange<Double>?, suppressed: Bool) {
        self.a = a
        self.b = b
        self.difference = difference
        self.ci95 = ci95
        self.suppressed = suppressed
    }
}
