import Foundation
import IndgangConsole
import IndgangCore

/// One example of every page, filled with hostile text wherever the server passes text through, for the
/// structure and escaping tests (and, with `CONSOLE_DUMP=dir`, to look at in a browser).
enum Gallery {
    static let hostile = Fixture.hostile
    static let quotes = Fixture.quotes
    static let combining = Fixture.combining
    static let evil = ActorRef(slug: combining, name: hostile)

    static func pages() throws -> [(name: String, html: String)] {
        let renderer = Fixture.renderer
        var pages: [(name: String, html: String)] = []
        pages.append(("login", try renderer.render(login())))
        pages.append(("inbox", try renderer.render(inbox())))
        pages.append(("inbox-incoming", try renderer.render(.inboxIncoming, of: inbox())))
        pages.append(("cases", try renderer.render(cases())))
        pages.append(("case", try renderer.render(casePage())))
        pages.append(("case-receiver", try renderer.render(caseForReceiver())))
        pages.append(("case-new", try renderer.render(newCase())))
        pages.append(("search", try renderer.render(SearchPage(context: Fixture.context(), result: .found([caseItem])))))
        pages.append(("notifications", try renderer.render(notifications())))
        pages.append(("outcome", try renderer.render(outcome())))
        pages.append(("outcome-month", try renderer.render(monthlyOutcome())))
        pages.append(("outcome-handoffs", try renderer.render(handoffOutcome())))
        pages.append(("admin", try renderer.render(admin())))
        pages.append(("message", try renderer.render(MessagePage(context: Fixture.context(), heading: hostile, paragraphs: [quotes]))))
        return pages
    }

    static func login() -> LoginPage {
        LoginPage(
            context: PageContext(csrfToken: quotes, flash: .alert(hostile)), alternatives: [Choice(value: "/console/oidc", label: "MitID Erhverv")])
    }

    static var handoffs: [HandoffItem] {
        [Fixture.handoff("h1", from: evil, reason: hostile), Fixture.handoff("h2", status: "overdue", due: -2, reason: quotes)]
    }

    static func inbox() -> InboxPage {
        let context = Fixture.context(flash: .problem(FormProblem(field: "reason", message: hostile, form: "reject-h1")))
        return InboxPage(
            context: context, incoming: handoffs, outgoing: [Fixture.handoff("h3", from: Fixture.kobenhavn, to: evil, reason: hostile)],
            rejected: [Fixture.handoff("h4", from: Fixture.kobenhavn, to: evil, status: "rejected", decisionReason: hostile)])
    }

    static var caseItem: CaseItem {
        CaseItem(
            id: "c1", pathway: hostile, status: "open", responsible: evil, openedAt: Fixture.hours(-30), summary: hostile, flags: ["readmission"],
            pendingHandoff: handoffs[0])
    }

    static func cases() -> CasesPage {
        CasesPage(
            context: Fixture.context(), filter: CaseFilter(pathway: quotes, overdue: true), pathways: [Choice(value: quotes, label: hostile)],
            cases: [caseItem], nextPageHref: "/console/cases?cursor=" + quotes)
    }

    static func casePage() -> CasePage {
        let detail = Fixture.caseDetail(summary: hostile, pending: Fixture.handoff("h5", from: Fixture.kobenhavn, to: evil, reason: hostile))
        return CasePage(
            context: Fixture.context(flash: .problem(FormProblem(field: "summary", message: hostile))), detail: detail, timeline: Fixture.timeline,
            actors: Fixture.actors + [evil], summaryDraft: quotes)
    }

    static func caseForReceiver() -> CasePage {
        CasePage(
            context: Fixture.context(), detail: Fixture.caseDetail(responsible: Fixture.nsh, pending: Fixture.handoff("h6")),
            timeline: Fixture.timeline, actors: Fixture.actors, revealedCPR: "010203-1234")
    }

    static func newCase() -> NewCasePage {
        NewCasePage(
            context: Fixture.context(flash: .problem(FormProblem(field: "cpr", message: "Datoen findes ikke."))),
            pathways: [Choice(value: "subacute-elderly", label: hostile)],
            values: NewCaseValues(cpr: combining, pathway: "subacute-elderly", summary: combining), duplicate: .contactRequested)
    }

    static func notifications() -> NotificationsPage {
        NotificationsPage(
            context: Fixture.context(),
            notifications: [
                NotificationItem(
                    id: "n1", kind: "handoff.requested", caseID: "c1", createdAt: Fixture.hours(-1), data: ["from_actor": "nsh", "to_actor": quotes]),
                NotificationItem(
                    id: "n2", kind: "case.contact_requested", caseID: "c1", createdAt: Fixture.hours(-2), readAt: Fixture.hours(-1),
                    data: ["requesting_actor": hostile]),
            ], actors: Fixture.actors)
    }

    static let groups = [
        OutcomeGroup(
            key: "101", label: "København " + hostile, numerator: 40, denominator: 320, rate: 0.125, ci95: 0.093...0.166, suppressed: false,
            censored: 12, goal: OutcomeGoal(target: 0.15, direction: "below", status: "undetermined")),
        OutcomeGroup(key: combining, numerator: nil, denominator: 30, rate: nil, ci95: nil, suppressed: true, censored: nil),
    ]

    static func outcome() -> OutcomePage {
        let query = OutcomeQuery(from: "2026-01-01", to: "2026-12-31", pathway: quotes, groupBy: "municipality", compare: combining)
        return OutcomePage(
            context: Fixture.context(.coordinator), measure: .readmissions, query: query, groups: groups,
            comparison: OutcomeComparisonFigures(a: groups[0], b: groups[0], difference: 0.021, ci95: -0.01...0.052, suppressed: false),
            definitionID: "urn:indgang:outcome:readmission:v1", asOf: Fixture.now, pathways: [Choice(value: quotes, label: hostile)],
            actors: [Choice(value: "nsh", label: hostile)], comparisons: [Choice(value: "period:2026-07-01", label: hostile)])
    }

    static var months: [OutcomeGroup] {
        (1...12).map { month in
            let hidden = month == 4
            return OutcomeGroup(
                key: "2026-" + (month < 10 ? "0" : "") + String(month), numerator: hidden ? nil : 20 + month, denominator: 200,
                rate: hidden ? nil : Double(20 + month) / 200, ci95: hidden ? nil : 0.07...0.16, suppressed: hidden, censored: 3)
        }
    }

    static func monthlyOutcome() -> OutcomePage {
        OutcomePage(
            context: Fixture.context(.coordinator), measure: .recidivism, query: OutcomeQuery(from: "2026-01-01", to: "2026-12-31", groupBy: "month"),
            groups: months, definitionID: "urn:indgang:outcome:recidivism:v1")
    }

    static func handoffOutcome() -> HandoffOutcomePage {
        let groups = [
            HandoffFigures(
                key: "k1", pathway: hostile, from: hostile, to: "Københavns Kommune", requested: 120, accepted: 100, rejected: 8, overdue: 30,
                medianHoursToAccept: 20.5, p90HoursToAccept: 70, rate: 100.0 / 120, ci95: 0.76...0.89, suppressed: false),
            HandoffFigures(
                key: "k2", pathway: "p", from: "a", to: "b", requested: 7, accepted: nil, rejected: nil, overdue: nil, medianHoursToAccept: nil,
                p90HoursToAccept: nil, rate: nil, ci95: nil, suppressed: true),
        ]
        return HandoffOutcomePage(
            context: Fixture.context(.coordinator), query: OutcomeQuery(from: "2026-01-01", to: "2026-12-31"), groups: groups,
            definitionID: "urn:indgang:outcome:handoffs:v2")
    }

    static func admin() -> AdminPage {
        let delivery = AdminDelivery(
            id: "d1", kind: "handoff.requested", status: "failed", attempts: 7, lastStatusCode: 500, lastError: hostile, createdAt: Fixture.hours(-40))
        return AdminPage(
            context: Fixture.context(.admin, flash: .status(hostile)),
            actors: [AdminActor(slug: combining, name: hostile, kind: "municipality", municipalityCode: "101")],
            keys: [AdminKey(id: "k1", actor: hostile, role: .caseworker, label: quotes, createdAt: Fixture.hours(-100))],
            subscriptions: [
                AdminSubscription(
                    id: "s1", actor: hostile, url: "https://example.org/" + quotes, kinds: ["handoff.requested"], active: true,
                    createdAt: Fixture.hours(-50), deliveries: [delivery])
            ],
            createdKey: CreatedKey(id: "k2", key: "igk_" + quotes, role: .admin, actor: hostile),
            audit: .found([AuditRecord(at: Fixture.hours(-3), actor: hostile, role: "caseworker", action: "citizen.reveal", purpose: quotes, caseID: "c1")]))
    }
}
