import Foundation
import IndgangConsole
import IndgangCore

/// Shared inputs: a fixed clock, viewers of each role, and text written to break out of HTML.
enum Fixture {
    static let hostile = "<script>alert(1)</script>"
    static let quotes = "\"><img src=x onerror=alert(2)> 'x'"
    /// A quote joined to a combining accent is one Character, which Character-wise escaping does not recognise.
    static let combining = "\"\u{301} onmouseover=alert(3) x='\u{301}"
    /// 2026-12-03 13:05 UTC = 14.05 in Copenhagen (winter time).
    static let now = Date(timeIntervalSince1970: 1_796_303_100)
    static func hours(_ h: Double) -> Date { now.addingTimeInterval(h * 3600) }

    static let kobenhavn = ActorRef(slug: "kobenhavn", name: "Københavns Kommune")
    static let nsh = ActorRef(slug: "nsh", name: "Nordsjællands Hospital")
    static let hostileActor = ActorRef(slug: "evil", name: hostile)

    static func context(_ role: Role = .caseworker, actor: ActorRef = kobenhavn, flash: Flash? = nil, unread: Int = 2) -> PageContext {
        PageContext(
            csrfToken: "csrf-token-123", viewer: Viewer(actorSlug: actor.slug, actorName: actor.name, role: role), unreadCount: unread,
            flash: flash, now: now)
    }

    static func handoff(
        _ id: String, from: ActorRef = nsh, to: ActorRef = kobenhavn, status: String = "pending", due: Double = 5, reason: String = "Udskrevet til eget hjem",
        decisionReason: String? = nil
    ) -> HandoffItem {
        HandoffItem(
            id: id, caseID: "case-" + id, pathway: "Sub-akut forløb", from: from, to: to, status: status, reason: reason, requestedAt: hours(-20),
            dueAt: hours(due), decidedAt: decisionReason == nil ? nil : hours(-1), decisionReason: decisionReason)
    }

    static let renderer: ConsoleRenderer = {
        do { return try ConsoleRenderer() } catch { fatalError("templates do not load: \(error)") }
    }()

    static func caseDetail(summary: String = "Borgeren er udskrevet.", responsible: ActorRef = kobenhavn, pending: HandoffItem? = nil) -> CaseDetail {
        CaseDetail(
            id: "0190c0de-0000-7000-8000-000000000001", pathway: "Sub-akut forløb", status: "open", responsible: responsible,
            openedAt: hours(-48), summary: summary, version: 7, flags: ["readmission"], pendingHandoff: pending)
    }

    static let timeline = [
        TimelineItem(at: hours(-48), kind: "opened", actor: nsh, data: ["pathway": "subacute-elderly"]),
        TimelineItem(at: hours(-20), kind: "handoff_requested", actor: nsh, data: ["to_actor": "kobenhavn", "reason": "Udskrevet"]),
        TimelineItem(at: hours(-10), kind: "note", actor: kobenhavn, data: ["text": hostile]),
        TimelineItem(at: hours(-5), kind: "readmission_flagged"),
    ]

    static let actors = [kobenhavn, nsh, ActorRef(slug: "esbjerg", name: "Esbjerg Kommune")]
}
