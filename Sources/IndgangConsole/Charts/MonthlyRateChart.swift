/// A monthly series (`group_by=month`) as inline SVG: one point per month with its 95 % interval as a vertical
/// whisker, joined by a line through consecutive shown months. A suppressed month shows "<5" at the baseline;
/// the line breaks there rather than pass through a value it does not have. Pure and deterministic.
public enum MonthlyRateChart {
    static let width = 720.0
    static let plotStart = 64.0
    static let plotEnd = 704.0
    static let plotHeight = 220.0
    static let capWidth = 8.0
    static let pointRadius = 4.0

    /// `months`: in order, each labelled by its `YYYY-MM` key (shown as `jan. 2026`) or any text.
    public static func svg(_ months: [ChartBar], id: String, title: String, summary: String, goal: Double? = nil) -> String {
        let top = goal == nil ? 16.0 : 32.0
        let baseline = top + plotHeight
        let height = baseline + 44
        let drawn = months.flatMap { month in [month.drawnRate, month.drawnInterval?.upperBound].compactMap { $0 } }
        let scale = RateScale(covering: drawn + [goal].compactMap { $0 })
        func y(_ value: Double) -> Double { scale.position(of: value, from: baseline, to: top) }
        let slot = months.isEmpty ? 0 : (plotEnd - plotStart) / Double(months.count)
        func x(_ index: Int) -> Double { plotStart + slot * (Double(index) + 0.5) }
        let spokenMonths = months.map { month in
            ChartBar(label: DanishFormat.month(isoMonth: month.label, long: true) ?? month.label, rate: month.rate, interval: month.interval,
                     suppressed: month.suppressed)
        }

        let goalSentence = goal.map { " Den vandrette linje er målet på \(DanishFormat.percent($0))." } ?? ""
        var svg = SVG.open(
            id: id, width: width, height: height, title: title,
            description: ([summary + goalSentence] + spokenMonths.map(\.spoken)).joined(separator: " "))

        svg += "<g class=\"chart-grid\">\n"
        for tick in scale.ticks {
            svg += SVG.line("chart-gridline", x1: plotStart, y1: y(tick), x2: plotEnd, y2: y(tick))
            svg += SVG.text("chart-tick-label chart-tick-label-y", x: plotStart - 8, y: y(tick) + 4, DanishFormat.percentTick(tick))
        }
        svg += "</g>\n"

        var runs: [[(Double, Double)]] = [[]]
        for (index, month) in months.enumerated() {
            if let rate = month.drawnRate { runs[runs.count - 1].append((x(index), y(rate))) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        for run in runs where run.count > 1 {
            svg += "<polyline class=\"chart-line\" points=\"" + run.map { "\(SVG.number($0.0)),\(SVG.number($0.1))" }.joined(separator: " ") + "\"/>\n"
        }

        let labelEvery = max(1, (months.count + 11) / 12)
        for (index, month) in months.enumerated() {
            let center = x(index)
            svg += "<g class=\"chart-month\(month.drawnRate == nil ? " chart-row-suppressed" : "")\">\n"
            if let rate = month.drawnRate {
                if let interval = month.drawnInterval {
                    let (low, high) = (y(interval.lowerBound), y(interval.upperBound))
                    svg += SVG.line("chart-whisker", x1: center, y1: low, x2: center, y2: high)
                    svg += SVG.line("chart-whisker-cap", x1: center - capWidth / 2, y1: low, x2: center + capWidth / 2, y2: low)
                    svg += SVG.line("chart-whisker-cap", x1: center - capWidth / 2, y1: high, x2: center + capWidth / 2, y2: high)
                }
                svg += "<circle class=\"chart-point\" cx=\"\(SVG.number(center))\" cy=\"\(SVG.number(y(rate)))\" r=\"\(SVG.number(pointRadius))\"/>\n"
            } else {
                svg += SVG.text("chart-suppressed chart-suppressed-month", x: center, y: baseline - 6, "<5")
            }
            if index % labelEvery == 0 {
                let parts = (DanishFormat.month(isoMonth: month.label) ?? month.label).split(separator: " ", maxSplits: 1).map(String.init)
                svg += SVG.text("chart-tick-label", x: center, y: baseline + 18, parts.first ?? "")
                if parts.count > 1, index == 0 || month.label.hasSuffix("-01") {
                    svg += SVG.text("chart-tick-label", x: center, y: baseline + 34, parts[1])
                }
            }
            svg += "</g>\n"
        }

        if let goal {
            svg += "<g class=\"chart-goal\">\n"
            svg += SVG.line("chart-goal-line", x1: plotStart, y1: y(goal), x2: plotEnd, y2: y(goal))
            svg += SVG.text("chart-goal-label chart-goal-label-y", x: plotEnd, y: y(goal) - 6, "Mål " + DanishFormat.percent(goal))
            svg += "</g>\n"
        }
        svg += "<g class=\"chart-axis\">\n" + SVG.line("chart-axis-line", x1: plotStart, y1: baseline, x2: plotEnd, y2: baseline) + "</g>\n</svg>"
        return svg
    }
}
