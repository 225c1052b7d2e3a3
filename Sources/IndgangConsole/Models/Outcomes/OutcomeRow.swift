/// A group as a row of the readmission or recidivism table: the same figures the chart draws.
struct OutcomeRow: Sendable {
    let label: String
    let numeratorText: String
    let denominatorText: String
    let rateText: String
    let intervalText: String
    let censoredText: String
    let suppressed: Bool
    let hasGoal: Bool
    let goalText: String
    let goalMet: Bool
    let goalNotMet: Bool

    init(_ group: OutcomeGroup, label: String) {
        self.label = label
        suppressed = group.suppressed
        numeratorText = FigureText.count(group.suppressed ? nil : group.numerator)
        denominatorText = FigureText.count(group.denominator)
        rateText = FigureText.rate(group.rate, suppressed: group.suppressed)
        intervalText = FigureText.interval(group.ci95, suppressed: group.suppressed)
        censoredText = FigureText.count(group.censored)
        hasGoal = group.goal != nil
        goalText = group.goal?.text ?? ""
        goalMet = group.goal?.status == "met"
        goalNotMet = group.goal?.status == "not_met"
    }
}
