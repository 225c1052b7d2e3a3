/// Horizontal bars of rates per group with their 95 % intervals as whiskers, as inline SVG: one row per group,
/// a percentage axis below, and an optional goal line. A suppressed group's row holds its label and "<5" and
/// nothing that encodes a value (no bar, no whisker, no value label). Pure and deterministic.
public enum RateBarChart {
    static let width = 720.0
    static let plotStart = 210.0
    static let plotEnd = 650.0
    static let rowHeight = 32.0
    static let barHeight = 18.0
    static let capHeight = 10.0
    static let labelLimit = 30

    /// - Parameters:
    ///   - id: unique on the page (the title and description are referenced by id).
    ///   - title: the chart's accessible name.
    ///   - summary: what the chart shows, in words; the description adds every group's figures.
    ///   - goal: a common target (fraction) drawn as a vertical line.
    public static func svg(_ bars: [ChartBar], id: String, title: String, summary: String, goal: Double? = nil) -> String {
        let top = goal == nil ? 12.0 : 32.0
        let axisY = top + Double(bars.count) * rowHeight + 4
        let height = axisY + 32
        let drawn = bars.flatMap { bar in [bar.drawnRate, bar.drawnInterval?.upperBound].compactMap { $0 } }
        let scale = RateScale(covering: drawn + [goal].compactMap { $0 })
        func x(_ value: Double) -> Double { scale.position(of: value, from: plotStart, to: plotEnd) }

        let goalSentence = goal.map { " Den lodrette linje er målet på \(DanishFormat.percent($0))." } ?? ""
        var svg = SVG.open(
            id: id, width: width, height: height, title: title,
            description: ([summary + goalSentence] + bars.map(\.spoken)).joined(separator: " "))

        svg += "<g class=\"chart-grid\">\n"
        for tick in scale.ticks {
            svg += SVG.line("chart-gridline", x1: x(tick), y1: top - 4, x2: x(tick), y2: axisY)
        }
        svg += "</g>\n"

        for (index, bar) in bars.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            let middle = rowTop + rowHeight / 2
            svg += "<g class=\"chart-row\(bar.drawnRate == nil ? " chart-row-suppressed" : "")\">\n"
            svg += SVG.text("chart-label", x: plotStart - 8, y: middle + 4, SVG.shortened(bar.label, limit: labelLimit))
            if let rate = bar.drawnRate {
                svg += "<rect class=\"chart-bar\" x=\"\(SVG.number(plotStart))\" y=\"\(SVG.number(middle - barHeight / 2))\" "
                    + "width=\"\(SVG.number(x(rate) - plotStart))\" height=\"\(SVG.number(barHeight))\"/>\n"
                var valueEnd = x(rate)
                if let interval = bar.drawnInterval {
                    let (low, high) = (x(interval.lowerBound), x(interval.upperBound))
                    svg += SVG.line("chart-whisker", x1: low, y1: middle, x2: high, y2: middle)
                    svg += SVG.line("chart-whisker-cap", x1: low, y1: middle - capHeight / 2, x2: low, y2: middle + capHeight / 2)
                    svg += SVG.line("chart-whisker-cap", x1: high, y1: middle - capHeight / 2, x2: high, y2: middle + capHeight / 2)
                    valueEnd = max(valueEnd, high)
                }
                svg += SVG.text("chart-value", x: valueEnd + 6, y: middle + 4, DanishFormat.percent(rate))
            } else {
                svg += SVG.text("chart-suppressed", x: plotStart + 6, y: middle + 4, "<5")
            }
            svg += "</g>\n"
        }

        if let goal {
            svg += "<g class=\"chart-goal\">\n"
            svg += SVG.line("chart-goal-line", x1: x(goal), y1: top - 8, x2: x(goal), y2: axisY)
            svg += SVG.text("chart-goal-label", x: x(goal), y: top - 14, "Mål " + DanishFormat.percent(goal))
            svg += "</g>\n"
        }

        svg += "<g class=\"chart-axis\">\n"
        svg += SVG.line("chart-axis-line", x1: plotStart, y1: axisY, x2: plotEnd, y2: axisY)
        for tick in scale.ticks {
            svg += SVG.line("chart-tick", x1: x(tick), y1: axisY, x2: x(tick), y2: axisY + 5)
            svg += SVG.text("chart-tick-label", x: x(tick), y: axisY + 20, DanishFormat.percentTick(tick))
        }
        svg += "</g>\n</svg>"
        return svg
    }
}
