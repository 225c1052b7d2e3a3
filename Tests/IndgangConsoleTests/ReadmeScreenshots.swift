import Foundation
import IndgangConsole
import IndgangCore
import Testing

/// The console's main pages with ordinary (not hostile) data, written as HTML for the README's screenshots
/// when `CONSOLE_SCREENSHOTS=dir` is set (`docs/console-screenshots.sh`); a no-op otherwise.
@Suite("README screenshots")
struct ReadmeScreenshots {
    static let hvidovre = ActorRef(slug: "hvidovre-hospital", name: "Hvidovre Hospital")

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONSOLE_SCREENSHOTS"] != nil)) func writePages() throws {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CONSOLE_SCREENSHOTS"]!)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let renderer = Fixture.renderer
        let pages = [
            ("inbox", try renderer.render(inbox())), ("case", try renderer.render(casePage())), ("outcome", try renderer.render(outcome())),
        ]
        for (name, html) in pages {
            try Data(html.utf8).write(to: directory.appendingPathComponent("\(name).html"))
        }
    }

    func inbox() -> InboxPage {
        InboxPage(
            context: Fixture.context(flash: .status("Overdragelsen er accepteret. Kommunen er nu ansvarlig.")),
            incoming: [
                Fixture.handoff("h1", from: Fixture.nsh, reason: "Udskrevet til eget hjem; sub-akut opfølgning"),
                Fixture.handoff("h2", from: Self.hvidovre, status: "overdue", due: -3, reason: "Udskrevet til plejebolig efter fald"),
            ],
            outgoing: [Fixture.handoff("h3", from: Fixture.kobenhavn, to: Fixture.nsh, due: 20, reason: "Genindlagt akut; hospitalet overtager")],
            rejected: [
                Fixture.handoff("h4", from: Fixture.kobenhavn, to: Self.hvidovre, status: "rejected", reason: "Borgeren er flyttet",
                    decisionReason: "Borgeren bor ikke i vores optageområde")
            ])
    }

    func casePage() -> CasePage {
        let timeline = [
            TimelineItem(at: Fixture.hours(-120), kind: "opened", actor: Fixture.nsh, data: ["pathway": "subacute-elderly"]),
            TimelineItem(at: Fixture.hours(-30), kind: "handoff_requested", actor: Fixture.nsh, data: ["to_actor": "kobenhavn", "reason": "Udskrevet til eget hjem"]),
            TimelineItem(at: Fixture.hours(-26), kind: "handoff_accepted", actor: Fixture.kobenhavn, data: [:]),
            TimelineItem(at: Fixture.hours(-6), kind: "note", actor: Fixture.kobenhavn, data: ["text": "Hjemmeplejen har besøgt borgeren to gange."]),
            TimelineItem(at: Fixture.hours(-2), kind: "readmission_flagged"),
        ]
        return CasePage(
            context: Fixture.context(), detail: Fixture.caseDetail(summary: "Udskrevet efter fald; sub-akut opfølgning i hjemmet."),
            timeline: timeline, actors: Fixture.actors)
    }

    func outcome() -> OutcomePage {
        let groups = [
            OutcomeGroup(key: "101", label: "København", numerator: 41, denominator: 312, rate: 41.0 / 312, ci95: 0.098...0.174, suppressed: false, censored: 12),
            OutcomeGroup(key: "147", label: "Frederiksberg", numerator: 9, denominator: 71, rate: 9.0 / 71, ci95: 0.068...0.224, suppressed: false, censored: 3),
            OutcomeGroup(key: "219", label: "Hillerød", numerator: nil, denominator: nil, rate: nil, ci95: nil, suppressed: true, censored: nil),
            OutcomeGroup(key: "561", label: "Esbjerg", numerator: nil, denominator: nil, rate: nil, ci95: nil, suppressed: true, censored: nil),
            OutcomeGroup(key: "751", label: "Aarhus", numerator: 27, denominator: 188, rate: 27.0 / 188, ci95: 0.101...0.201, suppressed: false, censored: 8),
        ]
        return OutcomePage(
            context: Fixture.context(.coordinator), measure: .readmissions,
            query: OutcomeQuery(from: "2025-12-01", to: "2026-11-30", pathway: "subacute-elderly", groupBy: "municipality"), groups: groups,
            definitionID: "urn:indgang:outcome:readmission:v1", asOf: Fixture.now)
    }
}
