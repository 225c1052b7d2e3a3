import Foundation
import IndgangConsole
import Testing

@Suite struct ChartTests {
    static let bars = [
        ChartBar(label: "København", rate: 0.125, interval: 0.1...0.15, suppressed: false),
        ChartBar(label: "Esbjerg", rate: 0.3, interval: 0.2...0.4, suppressed: false),
        // A suppressed group whose numbers leaked into the model must still not be drawn.
        ChartBar(label: "Hillerød", rate: 0.35, interval: 0.3...0.37, suppressed: true),
        ChartBar(label: "Fanø", rate: nil, interval: nil, suppressed: true),
    ]

    static func attribute(_ name: String, in tag: String) -> Double? {
        guard let match = tag.firstMatch(of: try! Regex("\(name)=\"([-0-9.]+)\"")) else { return nil }
        return Double(match.output[1].substring ?? "")
    }

    static func lines(_ svg: String, class cssClass: String) -> [String] {
        svg.matches(of: try! Regex("<line class=\"\(cssClass)\"[^>]*/>")).map { String(svg[$0.range]) }
    }

    /// The x position of each axis tick, by its label ("10 %" → x).
    static func ticks(_ svg: String) -> [String: Double] {
        var ticks: [String: Double] = [:]
        for match in svg.matches(of: /<text class="chart-tick-label" x="([0-9.]+)" y="[0-9.]+">([^<]+)<\/text>/) {
            ticks[String(match.output.2)] = Double(match.output.1)
        }
        return ticks
    }

    @Test func isAnAccessibleImageWithTitleAndDescription() {
        let svg = RateBarChart.svg(Self.bars, id: "figur", title: "Genindlæggelser <2026>", summary: "Pr. kommune.")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"figur-titel figur-beskrivelse\""))
        #expect(svg.contains("<title id=\"figur-titel\">Genindlæggelser &lt;2026&gt;</title>"))
        #expect(svg.contains("<desc id=\"figur-beskrivelse\">Pr. kommune. København: 12,5 % (95 %-interval 10,0–15,0 %)."))
        #expect(svg.contains("Fanø: færre end 5"))
        #expect(!svg.contains("style="))
    }

    @Test func suppressedGroupsAreNeverDrawnAsAValue() {
        let svg = RateBarChart.svg(Self.bars, id: "figur", title: "t", summary: "s")
        let rows = svg.components(separatedBy: "<g class=\"chart-row").dropFirst().map { $0.components(separatedBy: "</g>")[0] }
        #expect(rows.count == 4)
        for row in rows where row.contains("Hillerød") || row.contains("Fanø") {
            #expect(row.hasPrefix(" chart-row-suppressed\""))
            #expect(row.contains("<text class=\"chart-suppressed\""))
            #expect(row.contains(">&lt;5</text>"))
            #expect(!row.contains("<rect") && !row.contains("<line") && !row.contains("chart-value") && !row.contains("%"))
        }
        #expect(rows.filter { $0.contains("<rect class=\"chart-bar\"") }.count == 2)
        // Nothing anywhere in the chart encodes the hidden rate.
        #expect(!svg.contains("35,0 %") && !svg.contains("37,0 %"))
        #expect(svg.contains("Hillerød: færre end 5 eller skjult"))
    }

    @Test func whiskerEndsAndBarsSitWhereTheAxisPutsTheirValues() throws {
        let svg = RateBarChart.svg(Self.bars, id: "figur", title: "t", summary: "s")
        let ticks = Self.ticks(svg)
        // The largest drawn value is 40 %: the axis runs 0–40 % in steps of 10.
        #expect(ticks.keys.sorted() == ["0 %", "10 %", "20 %", "30 %", "40 %"])
        let zero = try #require(ticks["0 %"]), forty = try #require(ticks["40 %"])
        func x(_ rate: Double) -> Double { zero + rate / 0.4 * (forty - zero) }
        let whiskers = Self.lines(svg, class: "chart-whisker")
        #expect(whiskers.count == 2)
        for (whisker, bar) in zip(whiskers, Self.bars) {
            let interval = try #require(bar.interval)
            #expect(abs(try #require(Self.attribute("x1", in: whisker)) - x(interval.lowerBound)) < 0.06)
            #expect(abs(try #require(Self.attribute("x2", in: whisker)) - x(interval.upperBound)) < 0.06)
        }
        // Esbjerg's upper end (40 %) is exactly the 40 % tick; its lower end (20 %) the 20 % tick.
        #expect(Self.attribute("x2", in: whiskers[1]) == forty)
        #expect(Self.attribute("x1", in: whiskers[1]) == ticks["20 %"])
        let bars = svg.matches(of: /<rect class="chart-bar" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"/)
        #expect(bars.count == 2)
        for (bar, figure) in zip(bars, Self.bars) {
            let end = Double(bar.output.1)! + Double(bar.output.2)!
            #expect(abs(end - x(figure.rate!)) < 0.06)
        }
        #expect(svg.contains(">12,5 %</text>") && svg.contains(">30,0 %</text>"))
    }

    @Test func goalIsALabelledLineAtItsValue() throws {
        let svg = RateBarChart.svg(Array(Self.bars.prefix(1)), id: "g", title: "t", summary: "s", goal: 0.2)
        let ticks = Self.ticks(svg)
        let goal = try #require(Self.lines(svg, class: "chart-goal-line").first)
        #expect(Self.attribute("x1", in: goal) == ticks["20 %"])
        #expect(svg.contains(">Mål 20,0 %</text>"))
        #expect(svg.contains("målet på 20,0 %"))
    }

    @Test func axisPercentagesAreDanish() {
        let svg = RateBarChart.svg([ChartBar(label: "a", rate: 0.05, interval: 0.03...0.12, suppressed: false)], id: "a", title: "t", summary: "s")
        #expect(Self.ticks(svg).keys.sorted() == ["0 %", "10 %", "12,5 %", "2,5 %", "5 %", "7,5 %"])
    }

    @Test func outputIsDeterministicAndEscapesLabels() {
        let hostile = [ChartBar(label: "<script>alert(1)</script>", rate: 0.1, interval: 0.05...0.2, suppressed: false)]
        let first = RateBarChart.svg(hostile, id: "x\"y", title: "t", summary: "s")
        #expect(first == RateBarChart.svg(hostile, id: "x\"y", title: "t", summary: "s"))
        #expect(!first.contains("<script"))
        #expect(first.contains("&lt;script&gt;"))
        #expect(first.contains("id=\"x&quot;y-titel\""))
    }

    @Test func emptyAndAllSuppressedChartsStillHaveAnAxis() {
        let svg = RateBarChart.svg([ChartBar(label: "a", rate: nil, interval: nil, suppressed: true)], id: "a", title: "t", summary: "s")
        #expect(!svg.contains("<rect"))
        #expect(!Self.ticks(svg).isEmpty)
        #expect(RateBarChart.svg([], id: "b", title: "t", summary: "s").contains("</svg>"))
    }

    @Test func monthlySeriesBreaksAtSuppressedMonthsAndDrawsWhiskers() throws {
        let months = (1...6).map { (month: Int) -> ChartBar in
            let hidden = month == 3
            let rate: Double = hidden ? 0.5 : 0.05 * Double(month)
            let interval: ClosedRange<Double> = hidden ? 0.4...0.6 : 0.02...0.3
            return ChartBar(label: "2026-0" + String(month), rate: rate, interval: interval, suppressed: hidden)
        }
        let svg = MonthlyRateChart.svg(months, id: "m", title: "t", summary: "s", goal: 0.25)
        #expect(svg.contains("role=\"img\"") && svg.contains("<title id=\"m-titel\">t</title>"))
        let groups = svg.components(separatedBy: "<g class=\"chart-month").dropFirst().map { $0.components(separatedBy: "</g>")[0] }
        #expect(groups.count == 6)
        #expect(groups[2].hasPrefix(" chart-row-suppressed\"") && groups[2].contains("&lt;5") && !groups[2].contains("<circle") && !groups[2].contains("<line"))
        #expect(groups.filter { $0.contains("<circle") }.count == 5)
        // Two runs of the line: jan–feb and apr–jun, never through the hidden month.
        let polylines = svg.matches(of: /<polyline class="chart-line" points="([^"]+)"\/>/).map { $0.output.1.split(separator: " ").count }
        #expect(polylines == [2, 3])
        #expect(!svg.contains("50,0 %"))
        #expect(svg.contains("marts 2026: færre end 5"))
        #expect(svg.contains(">jan.</text>") && svg.contains(">2026</text>"))
        // A whisker's ends are at the y of its interval on the same scale as the axis.
        var tickY: [String: Double] = [:]
        for match in svg.matches(of: /<text class="chart-tick-label chart-tick-label-y" x="[0-9.]+" y="([0-9.]+)">([^<]+)<\/text>/) {
            tickY[String(match.output.2)] = Double(match.output.1)! - 4
        }
        let zero = try #require(tickY["0 %"]), top = try #require(tickY["30 %"])
        let whisker = try #require(Self.lines(svg, class: "chart-whisker").first)
        #expect(abs(try #require(Self.attribute("y1", in: whisker)) - (zero + 0.02 / 0.3 * (top - zero))) < 0.06)
        #expect(Self.attribute("y2", in: whisker) == top)
        #expect(svg.contains(">Mål 25,0 %</text>"))
    }
}
