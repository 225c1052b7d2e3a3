import Foundation
import IndgangConsole
import IndgangCore
import Testing

@Suite struct LayoutTests {
    let renderer = Fixture.renderer

    func message(_ context: PageContext) throws -> HTMLCheck {
        HTMLCheck(try renderer.render(MessagePage(context: context, heading: "Overskrift", paragraphs: ["Tekst"])))
    }

    @Test func navigationFollowsTheRole() throws {
        let caseworker = try message(Fixture.context(.caseworker))
        #expect(caseworker.tags("a").compactMap { $0.attributes["href"] }.contains("/console/inbox"))
        #expect(caseworker.html.contains(">Notifikationer <span class=\"badge\" data-unread-badge>"))
        let coordinator = try message(Fixture.context(.coordinator))
        let links = coordinator.tags("a").compactMap { $0.attributes["href"] }
        #expect(links.contains("/console/outcomes/readmissions") && links.contains("/console/outcomes/recidivism") && links.contains("/console/outcomes/handoffs"))
        #expect(!links.contains("/console/inbox") && !links.contains("/console/search"))
        let admin = try message(Fixture.context(.admin))
        #expect(admin.tags("nav").count == 1 && admin.html.contains("href=\"/console/admin\""))
        #expect(!admin.html.contains("/console/cases"))
    }

    @Test func theCurrentPageIsMarked() throws {
        let html = try renderer.render(CasesPage(context: Fixture.context(), filter: CaseFilter(), pathways: [], cases: []))
        #expect(html.contains("<a href=\"/console/cases\" aria-current=\"page\">Sager</a>"))
        #expect(HTMLCheck(html).tags("a").filter { $0.attributes["aria-current"] != nil }.count == 1)
    }

    @Test func theUnreadBadgeIsAlwaysThereForTheScriptAndHiddenAtZero() throws {
        #expect(try message(Fixture.context(unread: 0)).html.contains("data-unread-badge hidden><span data-unread-count>0</span>"))
        #expect(try message(Fixture.context(unread: 1234)).html.contains("data-unread-badge><span data-unread-count>1.234</span>"))
    }

    @Test func aStatusFlashIsAStatusAndAnErrorIsAnAlertNamingTheField() throws {
        let status = try message(Fixture.context(flash: .status("Overdragelsen er accepteret.")))
        #expect(status.html.contains("role=\"status\"") && status.html.contains("<p>Overdragelsen er accepteret.</p>"))
        #expect(!status.html.contains("role=\"alert\""))
        #expect(status.tags("title").count == 1 && status.html.contains("<title>Overskrift – Indgang</title>"))

        let alert = try message(Fixture.context(flash: .alert("Handlingen blev afvist.")))
        #expect(alert.html.contains("role=\"alert\"") && alert.html.contains("<title>Fejl: Overskrift – Indgang</title>"))

        // A refused field that is not on this page is still named (by its Danish label).
        let unplaced = try message(Fixture.context(flash: .problem(FormProblem(field: "to_actor", message: "Vælg en modtager."))))
        #expect(unplaced.html.contains("<strong>Modtager:</strong> Vælg en modtager."))
        #expect(!unplaced.html.contains("Gå til feltet"))
    }

    @Test func signedOutPagesHaveNoNavigationOrLogout() throws {
        let html = try renderer.render(LoginPage(context: PageContext(csrfToken: "pre-session")))
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        #expect(check.count("nav") == 0 && !html.contains("/console/logout"))
        #expect(html.contains("<a href=\"/console/login\">Indgang"))
    }

    @Test func signedInPagesOfferLogoutWithTheToken() throws {
        let check = try message(Fixture.context())
        let logout = try #require(check.forms.first { $0.attributes["action"] == "/console/logout" })
        #expect(logout.attributes["method"] == "post")
        #expect(logout.body.contains("name=\"csrf_token\" value=\"csrf-token-123\""))
        #expect(check.html.contains("Københavns Kommune <span class=\"viewer-role\">(sagsbehandler)</span>"))
    }

    @Test func landmarksSkipLinkAndAssetsAreInPlace() throws {
        let check = try message(Fixture.context())
        #expect(check.violations() == [])
        #expect(check.tags("link").first?.attributes["href"] == "/console/assets/console.css")
        #expect(check.tags("script").first?.attributes["src"] == "/console/assets/console.js")
        #expect(check.tags("main").first?.attributes["id"] == "indhold")
        #expect(check.html.range(of: "skip-link")!.lowerBound < check.html.range(of: "<header")!.lowerBound)
    }
}
