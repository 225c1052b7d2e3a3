/// A comparison as the page states it: both groups' figures, the difference in percentage points with its
/// interval, and what that means in words.
struct ComparisonView: Sendable {
    let aLabel: String
    let bLabel: String
    let aRow: OutcomeRow
    let bRow: OutcomeRow
    let hasDifference: Bool
    let differenceText: String
    let differenceIntervalText: String
    let verdict: String

    init(_ comparison: OutcomeComparisonFigures, groupBy: String?) {
        aLabel = comparison.a.displayLabel(groupBy: groupBy)
        bLabel = comparison.b.displayLabel(groupBy: groupBy)
        aRow = OutcomeRow(comparison.a, label: aLabel)
        bRow = OutcomeRow(comparison.b, label: bLabel)
        if !comparison.suppressed, let difference = comparison.difference {
            hasDifference = true
            differenceText = DanishFormat.percentagePoints(difference)
            if let interval = comparison.ci95 {
                differenceIntervalText = "95 %-interval: \(DanishFormat.percentagePoints(interval.lowerBound)) til \(DanishFormat.percentagePoints(interval.upperBound))"
                verdict = interval.lowerBound > 0 || interval.upperBound < 0
                    ? "Intervallet indeholder ikke 0: forskellen er næppe tilfældig."
                    : "Intervallet indeholder 0: forskellen kan skyldes tilfældigheder."
            } else {
                differenceIntervalText = ""
                verdict = ""
            }
        } else {
            hasDifference = false
            differenceText = ""
            differenceIntervalText = ""
            verdict = "Forskellen vises ikke, fordi mindst én af grupperne er skjult (<5) af hensyn til fortroligheden."
        }
    }
}
