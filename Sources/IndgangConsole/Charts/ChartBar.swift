/// One group of a rate chart: its label, rate and 95 % interval (fractions, 0–1), or suppressed. A suppressed
/// group is drawn as "<5" and never as a value, whatever `rate` and `interval` say.
public struct ChartBar: Sendable, Equatable {
    public var label: String
    public var rate: Double?
    public var interval: ClosedRange<Double>?
    public var suppressed: Bool

    public init(label: String, rate: Double?, interval: ClosedRange<Double>?, suppressed: Bool) {
        self.label = label
        self.rate = rate
        self.interval = interval
        self.suppressed = suppressed
    }

    /// The rate to draw: nil when suppressed, missing or not a number.
    var drawnRate: Double? {
        guard !suppressed, let rate, rate.isFinite else { return nil }
        return min(max(rate, 0), 1)
    }

    /// The interval to draw: only beside a drawn rate.
    var drawnInterval: ClosedRange<Double>? {
        guard drawnRate != nil, let interval, interval.lowerBound.isFinite, interval.upperBound.isFinite else { return nil }
        return max(interval.lowerBound, 0)...min(interval.upperBound, 1)
    }

    /// The sentence a screen reader hears for this group (in the chart's `<desc>`).
    var spoken: String {
        guard let rate = drawnRate else { return "\(label): færre end 5 eller skjult af hensyn til fortroligheden (<5), ikke vist." }
        guard let interval = drawnInterval else { return "\(label): \(DanishFormat.percent(rate))." }
        return "\(label): \(DanishFormat.percent(rate)) (95 %-interval \(DanishFormat.interval(interval.lowerBound, interval.upperBound)))."
    }
}
