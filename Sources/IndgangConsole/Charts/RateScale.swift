/// A linear scale from 0 to a round percentage that holds every drawn value (rates, interval ends, the goal),
/// with four to five ticks on round percentages.
struct RateScale: Sendable, Equatable {
    let maximum: Double
    let step: Double

    static let steps = [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25]

    init(covering values: [Double]) {
        let top = min(max(values.filter(\.isFinite).max() ?? 0, 0.01), 1)
        let step = Self.steps.first { (top / $0 - 1e-9).rounded(.up) <= 5 } ?? 0.25
        self.step = step
        maximum = min((top / step - 1e-9).rounded(.up) * step, 1)
    }

    var ticks: [Double] {
        let count = Int((maximum / step).rounded())
        return (0...count).map { Double($0) * step }
    }

    /// Where `value` falls between `start` (0) and `end` (the maximum), in the chart's units.
    func position(of value: Double, from start: Double, to end: Double) -> Double {
        start + (min(max(value, 0), maximum) / maximum) * (end - start)
    }
}
