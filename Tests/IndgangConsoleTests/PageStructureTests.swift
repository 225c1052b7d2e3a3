import Foundation
import IndgangConsole
import Testing

@Suite struct PageStructureTests {
    @Test func everyPageKeepsTheStructureRules() throws {
        for (name, html) in try Gallery.pages() {
            let check = HTMLCheck(html)
            #expect(check.violations(fullPage: name != "inbox-incoming") == [], "\(name)")
        }
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        for (name, html) in try Gallery.pages() {
            #expect(!html.contains("<script>alert"), "\(name)")
            #expect(!html.contains("<img"), "\(name)")
            #expect(!html.contains("onerror=alert(2)>"), "\(name)")
            let check = HTMLCheck(html)
            #expect(check.count("script") == (name == "inbox-incoming" ? 0 : 1), "\(name)")
            #expect(check.tags("script").allSatisfy { $0.attributes["src"] == "/console/assets/console.js" }, "\(name)")
        }
    }

    @Test func quotesJoinedToCombiningMarksAreEscapedToo() throws {
        for (name, html) in try Gallery.pages() {
            let bytes = Array(html.utf8)
            for quote: UInt8 in [0x22, 0x27] {
                let joined = (0..<max(0, bytes.count - 2)).contains { bytes[$0] == quote && bytes[$0 + 1] == 0xCC && bytes[$0 + 2] == 0x81 }
                #expect(!joined, "\(name)")
            }
            if ["case-new", "outcome", "admin"].contains(name) { #expect(html.unicodeScalars.contains("\u{301}"), "\(name) lacks the probe") }
        }
        let svg = RateBarChart.svg([ChartBar(label: Fixture.combining, rate: 0.1, interval: nil, suppressed: false)], id: Fixture.combining, title: Fixture.combining, summary: "")
        #expect(!svg.contains("\"\u{301}") && svg.contains("&quot;\u{301}"))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONSOLE_DUMP"] != nil)) func dumpPages() throws {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CONSOLE_DUMP"]!)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, html) in try Gallery.pages() {
            try html.write(to: directory.appendingPathComponent(name + ".html"), atomically: true, encoding: .utf8)
        }
    }
}
