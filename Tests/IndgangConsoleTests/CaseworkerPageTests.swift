import Foundation
import IndgangConsole
import IndgangCore
import Testing

@Suite struct CaseworkerPageTests {
    let renderer = Fixture.renderer

    @Test func inboxListsOverdueFirstWithActionsAndMarks() throws {
        let page = InboxPage(
            context: Fixture.context(),
            incoming: [Fixture.handoff("h-late-2", due: 30), Fixture.handoff("h-late", status: "overdue", due: -3), Fixture.handoff("h-soon", due: 2)],
            outgoing: [Fixture.handoff("h-out", from: Fixture.kobenhavn, to: Fixture.nsh)],
            rejected: [Fixture.handoff("h-rej", from: Fixture.kobenhavn, to: Fixture.nsh, status: "rejected", decisionReason: "Ikke vores borger")])
        let html = try renderer.render(page)
        #expect(HTMLCheck(html).violations() == [])
        let late = try #require(html.range(of: "overdragelse-h-late\"")), soon = try #require(html.range(of: "overdragelse-h-soon\""))
        let later = try #require(html.range(of: "overdragelse-h-late-2\""))
        #expect(late.lowerBound < soon.lowerBound && soon.lowerBound < later.lowerBound)
        #expect(html.contains("<tr id=\"overdragelse-h-late\" class=\"row-overdue\">"))
        #expect(html.contains("action=\"/console/handoffs/h-soon/accept\""))
        #expect(html.contains("action=\"/console/handoffs/h-soon/reject\""))
        #expect(html.contains("action=\"/console/handoffs/h-out/cancel\""))
        #expect(!html.contains("/console/handoffs/h-out/accept") && !html.contains("/console/handoffs/h-rej/"))
        #expect(html.contains("Ikke vores borger"))
        #expect(html.contains("3 timer over fristen"))
        #expect(html.contains("data-incoming-count=\"3\"") && html.contains("data-overdue-count=\"1\"") && html.contains("data-unread=\"2\""))
        #expect(html.contains("aria-live=\"polite\""))
        #expect(html.contains("data-fragment=\"/console/inbox?fragment=incoming\""))
    }

    @Test func totalsAboveTheCountCapReadOverIt() throws {
        let paging = InboxPaging(incomingTotal: InboxPaging.countCap + 1, overdueTotal: 12, outgoingTotal: InboxPaging.countCap + 1, moreIncoming: true)
        let html = try renderer.render(InboxPage(context: Fixture.context(), incoming: Gallery.handoffs, outgoing: [], rejected: [], paging: paging))
        #expect(html.contains("Til jer <span class=\"count\">(over 1.000)</span>"))
        #expect(html.contains("data-incoming-text=\"over 1.000\"") && html.contains("data-overdue-text=\"12\""))
        #expect(html.contains("Sendt af jer, venter på svar <span class=\"count\">(over 1.000)</span>") || html.contains("Ingen sendte"))
        #expect(DanishFormat.count(1000, cap: 1000) == "1.000" && DanishFormat.count(1001, cap: 1000) == "over 1.000")
    }

    @Test func aRejectionWithoutReasonIsTiedToThatHandoffsField() throws {
        let flash = Flash.problem(FormProblem(field: "reason", message: "Skriv en begrundelse for afvisningen."))
        let page = InboxPage(
            context: Fixture.context(flash: flash), incoming: [Fixture.handoff("h2", due: 9), Fixture.handoff("h1", due: 1)], outgoing: [],
            rejected: [])
        let html = try renderer.render(page)
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        // Without a form id the first form on the page (h1, due first) gets it: one message, one place.
        let field = try #require(check.tags("textarea").first { $0.attributes["id"] == "reject-h1-reason" })
        #expect(field.attributes["aria-invalid"] == "true")
        #expect(field.attributes["aria-describedby"] == "reject-h1-reason-fejl reject-h1-reason-hjaelp")
        #expect(html.contains("<p class=\"field-error\" id=\"reject-h1-reason-fejl\"><span class=\"visually-hidden\">Fejl: </span>Skriv en begrundelse for afvisningen.</p>"))
        #expect(check.tags("textarea").filter { $0.attributes["aria-invalid"] != nil }.count == 1)
        #expect(html.contains("<details class=\"reject\" open>"))
        #expect(html.contains("role=\"alert\"") && html.contains("<strong>Begrundelse for afvisningen:</strong>"))
        #expect(html.contains("<a href=\"#reject-h1-reason\">"))
    }

    @Test func emptyInboxSaysSo() throws {
        let html = try renderer.render(InboxPage(context: Fixture.context(), incoming: [], outgoing: [], rejected: []))
        #expect(HTMLCheck(html).violations() == [])
        #expect(html.contains("Ingen overdragelser venter på jer.") && html.contains("data-incoming-count=\"0\""))
        #expect(!html.contains("<table"))
    }

    @Test func casesListFiltersWithAGetFormAndLinksEachCase() throws {
        let item = CaseItem(
            id: "c-1", pathway: "Sub-akut forløb", status: "open", responsible: Fixture.kobenhavn, openedAt: Fixture.hours(-30),
            summary: String(repeating: "a", count: 300), flags: ["reoffence"], pendingHandoff: Fixture.handoff("h1", due: -1))
        let page = CasesPage(
            context: Fixture.context(), filter: CaseFilter(pathway: "reentry-youth", status: "closed", overdue: true, flagged: false),
            pathways: [Choice(value: "reentry-youth", label: "Løsladelse")], cases: [item], nextPageHref: "/console/cases?cursor=abc")
        let html = try renderer.render(page)
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        let filter = try #require(check.forms.first { $0.attributes["id"] == "filter" })
        #expect(filter.attributes["method"] == "get" && filter.attributes["action"] == "/console/cases")
        #expect(!filter.body.contains("csrf_token"))
        #expect(filter.body.contains("<option value=\"reentry-youth\" selected>Løsladelse</option>"))
        #expect(filter.body.contains("<option value=\"closed\" selected>Lukkede</option>"))
        #expect(filter.body.contains("name=\"overdue\" value=\"1\" checked>"))
        #expect(!filter.body.contains("name=\"flagged\" value=\"1\" checked"))
        #expect(html.contains("<a href=\"/console/cases/c-1\">Sub-akut forløb</a>"))
        #expect(html.contains(String(repeating: "a", count: 139) + "…") && !html.contains(String(repeating: "a", count: 141)))
        #expect(html.contains("Ny kriminalitet") && html.contains("tag-overdue"))
        #expect(html.contains("<a href=\"/console/cases?cursor=abc\" rel=\"next\">"))
    }

    @Test func theResponsibleActorGetsEveryCaseForm() throws {
        let html = try renderer.render(CasePage(context: Fixture.context(), detail: Fixture.caseDetail(), timeline: Fixture.timeline, actors: Fixture.actors))
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        let base = "/console/cases/0190c0de-0000-7000-8000-000000000001"
        let actions = Set(check.forms.compactMap { $0.attributes["action"] })
        #expect(actions.isSuperset(of: [base + "/handoffs", base + "/close", base + "/summary", base + "/notes", base + "/citizen"]))
        let handoff = try #require(check.forms.first { $0.attributes["id"] == "handoff" })
        #expect(handoff.body.contains("<select id=\"handoff-to-actor\" name=\"to_actor\""))
        #expect(handoff.body.contains("<option value=\"nsh\">Nordsjællands Hospital</option>"))
        #expect(!handoff.body.contains("value=\"kobenhavn\""))
        #expect(handoff.body.contains("name=\"reason\""))
        let close = try #require(check.forms.first { $0.attributes["id"] == "close" })
        for outcome in ["completed", "moved", "deceased", "declined", "other"] { #expect(close.body.contains("<option value=\"\(outcome)\">")) }
        #expect(close.body.contains("name=\"note\""))
        let summary = try #require(check.forms.first { $0.attributes["id"] == "summary" })
        #expect(summary.body.contains("<input type=\"hidden\" name=\"version\" value=\"7\">"))
        #expect(summary.body.contains(">Borgeren er udskrevet.</textarea>"))
        #expect(html.contains("Vis CPR-nummer") && !html.contains("class=\"cpr\""))
        #expect(html.contains("<span class=\"tag tag-flag\">Genindlæggelse</span>"))
        #expect(html.contains("Til Københavns Kommune. Begrundelse: Udskrevet"))
        #expect(html.contains("<td>Indgang (automatisk)</td>"))
        #expect(check.tags("table").count == 1 && html.contains("<th scope=\"col\">Organisation</th>"))
    }

    @Test func aPendingHandoffStopsAnotherAndTheReceiverOnlyDecides() throws {
        let sender = try renderer.render(
            CasePage(context: Fixture.context(), detail: Fixture.caseDetail(pending: Fixture.handoff("h9", from: Fixture.kobenhavn, to: Fixture.nsh)), timeline: [], actors: Fixture.actors))
        #expect(!sender.contains("id=\"handoff\"") && sender.contains("action=\"/console/handoffs/h9/cancel\""))
        #expect(sender.contains("En ventende overdragelse annulleres, når sagen lukkes."))

        let receiver = try renderer.render(Gallery.caseForReceiver())
        let check = HTMLCheck(receiver)
        #expect(check.violations() == [])
        #expect(receiver.contains("action=\"/console/handoffs/h6/accept\"") && receiver.contains("action=\"/console/handoffs/h6/reject\""))
        for form in ["handoff", "close", "summary", "note"] { #expect(!receiver.contains("id=\"\(form)\""), "\(form)") }
        #expect(receiver.contains("<strong class=\"cpr\">010203-1234</strong>") && !receiver.contains("id=\"reveal\""))
    }

    @Test func aSummaryConflictKeepsWhatWasTypedWithTheNewVersion() throws {
        let flash = Flash.problem(FormProblem(field: "summary", message: "En anden har ændret resuméet. Se ændringen og gem igen."))
        let html = try renderer.render(
            CasePage(context: Fixture.context(flash: flash), detail: Fixture.caseDetail(summary: "Ny tekst fra kollega"), timeline: [], actors: Fixture.actors, summaryDraft: "Min tekst"))
        #expect(html.contains(">Min tekst</textarea>") && html.contains("<p class=\"text summary\">Ny tekst fra kollega</p>"))
        #expect(html.contains("<details class=\"edit\" open>") && html.contains("aria-describedby=\"summary-summary-fejl summary-summary-hjaelp\""))
        #expect(HTMLCheck(html).violations() == [])
    }

    @Test func aNoteErrorGoesToTheNoteFormNotTheCloseForm() throws {
        let flash = Flash.problem(FormProblem(field: "note", message: "Skriv et notat.", form: "note"))
        let check = HTMLCheck(try renderer.render(CasePage(context: Fixture.context(flash: flash), detail: Fixture.caseDetail(), timeline: [], actors: Fixture.actors)))
        #expect(check.tags("textarea").filter { $0.attributes["aria-invalid"] == "true" }.map { $0.attributes["id"] } == ["note-note"])
    }

    @Test func openingACaseAsksForCprPathwayAndSummary() throws {
        let html = try renderer.render(NewCasePage(context: Fixture.context(), pathways: [Choice(value: "subacute-elderly", label: "Sub-akut")]))
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        let form = try #require(check.forms.first { $0.attributes["id"] == "open-case" })
        #expect(form.attributes["action"] == "/console/cases" && form.attributes["method"] == "post")
        for name in ["cpr", "pathway", "summary"] { #expect(form.body.contains("name=\"\(name)\"")) }
        #expect(!html.contains("role=\"alert\""))
    }

    @Test func aDuplicateSaysWhomToContact() throws {
        let visible = try renderer.render(NewCasePage(context: Fixture.context(), pathways: [], duplicate: .visible(caseID: "c-42")))
        #expect(visible.contains("role=\"alert\"") && visible.contains("<a href=\"/console/cases/c-42\">Gå til den eksisterende sag</a>"))
        let hidden = try renderer.render(NewCasePage(context: Fixture.context(), pathways: [], duplicate: .contactRequested))
        #expect(hidden.contains("Vi har bedt den ansvarlige organisation om at kontakte jer."))
        #expect(!hidden.contains("/console/cases/c-"))
        #expect(HTMLCheck(hidden).violations() == [] && HTMLCheck(visible).violations() == [])
    }

    @Test func searchPostsTheCprAndNeverEchoesIt() throws {
        let empty = try renderer.render(SearchPage(context: Fixture.context()))
        let form = try #require(HTMLCheck(empty).forms.first { $0.attributes["id"] == "search" })
        #expect(form.attributes["method"] == "post" && form.attributes["action"] == "/console/search" && form.body.contains("name=\"cpr\""))
        #expect(!empty.contains("role=\"status\""))
        let found = try renderer.render(SearchPage(context: Fixture.context(), result: .found([Gallery.caseItem])))
        #expect(found.contains("<p role=\"status\">Borgeren findes. I har adgang til 1 sag.</p>") && found.contains("<a href=\"/console/cases/c1\">"))
        #expect(found.contains("<input type=\"text\" id=\"search-cpr\" name=\"cpr\" value=\"\""))
        let none = try renderer.render(SearchPage(context: Fixture.context(), result: .notFound))
        #expect(none.contains("Ingen borger med det CPR-nummer er kendt i Indgang.") && !none.contains("<table"))
        let invisible = try renderer.render(SearchPage(context: Fixture.context(), result: .found([])))
        #expect(invisible.contains("I har ikke adgang til nogen af borgerens sager."))
    }

    @Test func notificationsMarkUnreadAndOfferToMarkThemRead() throws {
        let html = try renderer.render(Gallery.notifications())
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        #expect(html.contains("<tr class=\"row-unread\">") && html.contains("Ny overdragelse til jer"))
        #expect(html.contains("action=\"/console/notifications/n1/read\"") && !html.contains("/console/notifications/n2/read"))
        #expect(html.contains("Fra Nordsjællands Hospital"))
        #expect(html.contains("<a href=\"/console/notifications\" aria-current=\"page\">"))
    }
}
