/// How a table cell shows a figure that may be suppressed: counts as `<5` (the contract's mark), rates and
/// intervals of a suppressed group as "skjult" (a rate of "<5" would read as "under 5 %").
enum FigureText {
    static let suppressedCount = "<5"
    static let hidden = "skjult"

    static func count(_ value: Int?) -> String {
        value.map(DanishFormat.integer) ?? suppressedCount
    }

    static func rate(_ value: Double?, suppressed: Bool) -> String {
        guard !suppressed, let value else { return hidden }
        return DanishFormat.percent(value)
    }

    static func interval(_ value: ClosedRange<Double>?, suppressed: Bool) -> String {
        guard !suppressed, let value else { return hidden }
        return DanishFormat.interval(value.lowerBound, value.upperBound)
    }

    static func hours(_ value: Double?) -> String {
        value.map(DanishFormat.hours) ?? hidden
    }
}
