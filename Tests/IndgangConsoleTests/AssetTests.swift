import Foundation
import IndgangConsole
import Testing

@Suite struct AssetTests {
    func text(_ name: String) throws -> String {
        let file = try #require(ConsoleAssets.file(named: name))
        return String(decoding: file.data, as: UTF8.self)
    }

    @Test func onlyTheShippedFilesAreServed() throws {
        #expect(ConsoleAssets.file(named: "console.css")?.contentType == "text/css; charset=utf-8")
        #expect(ConsoleAssets.file(named: "console.js")?.contentType == "text/javascript; charset=utf-8")
        for name in ["../Templates/layout.mustache", "layout.mustache", "", "console.css/", "CONSOLE.CSS"] {
            #expect(ConsoleAssets.file(named: name) == nil, "\(name)")
        }
    }

    @Test func theStylesheetIsSelfContainedAccessibleAndPrintable() throws {
        let css = try text("console.css")
        #expect(!css.contains("@import") && !css.contains("url(") && !css.contains("@font-face"))
        #expect(css.contains(":focus-visible") && css.contains("outline: 3px solid"))
        #expect(css.contains("@media print") && css.contains("@media (max-width"))
        #expect(css.contains(".visually-hidden") && css.contains(".skip-link:focus"))
        // Every class the charts use is styled here.
        let svg = RateBarChart.svg(
            [ChartBar(label: "a", rate: 0.1, interval: 0.05...0.2, suppressed: false), ChartBar(label: "b", rate: nil, interval: nil, suppressed: true)],
            id: "a", title: "t", summary: "s", goal: 0.1)
            + MonthlyRateChart.svg([ChartBar(label: "2026-01", rate: 0.1, interval: 0.05...0.2, suppressed: false)], id: "b", title: "t", summary: "s")
        let classes = Set(svg.matches(of: /class="([^"]+)"/).flatMap { $0.output.1.split(separator: " ").map(String.init) })
        for cssClass in classes.subtracting(["chart-grid", "chart-row", "chart-row-suppressed", "chart-month", "chart-goal", "chart-axis"]) {
            #expect(css.contains("." + cssClass), "\(cssClass)")
        }
    }

    @Test func textColoursMeetContrastOnWhite() {
        // The stylesheet's text-bearing colours against white (#ffffff): at least 4.5:1.
        for hex in ["1a1a1a", "555555", "0b4f8a", "0b3a5b", "0b5cad", "a4161a", "1e6b34"] {
            #expect(Self.contrast(hex, "ffffff") >= 4.5, "\(hex)")
        }
        #expect(Self.contrast("5b8fc7", "ffffff") >= 3, "bars")
        #expect(Self.contrast("1a1a1a", "fdecee") >= 4.5 && Self.contrast("1a1a1a", "f4f6f8") >= 4.5)
        #expect(Self.contrast("0b0c0c", "ffbf47") >= 4.5, "badge and skip link")
    }

    @Test func theScriptOnlyEnhancesTheInbox() throws {
        let js = try text("console.js")
        #expect(js.contains("new EventSource('/console/stream')"))
        #expect(js.contains("getElementById('inkommende')") && js.contains("data-fragment") && js.contains("[data-live-region]"))
        #expect(!js.contains("http://") && !js.contains("https://") && !js.contains("eval(") && !js.contains("innerHTML"))
        #expect(js.contains("if (!section || !window.EventSource"))
        let inbox = try Fixture.renderer.render(InboxPage(context: Fixture.context(), incoming: [], outgoing: [], rejected: []))
        #expect(inbox.contains("id=\"inkommende\"") && inbox.contains("data-live-region"))
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            let value = Int(hex, radix: 16)!
            let channels = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff].map { channel -> Double in
                let c = Double(channel) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}
