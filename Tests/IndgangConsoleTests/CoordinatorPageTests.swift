import Foundation
import IndgangConsole
import Testing

@Suite struct CoordinatorPageTests {
    let renderer = Fixture.renderer
    static let query = OutcomeQuery(from: "2026-01-01", to: "2026-12-31", pathway: "subacute-elderly", groupBy: "municipality")
    static let groups = [
        OutcomeGroup(key: "101", label: "København", numerator: 40, denominator: 320, rate: 0.125, ci95: 0.0931...0.1662, suppressed: false, censored: 12),
        OutcomeGroup(key: "561", label: "Esbjerg", numerator: nil, denominator: 30, rate: nil, ci95: nil, suppressed: true, censored: nil),
        OutcomeGroup(key: "219", label: "Hillerød", numerator: 9, denominator: 60, rate: 0.15, ci95: 0.0808...0.2609, suppressed: false, censored: 5),
    ]

    func page(_ groups: [OutcomeGroup] = Self.groups, query: OutcomeQuery = Self.query, comparison: OutcomeComparisonFigures? = nil) throws -> String {
        try renderer.render(
            OutcomePage(
                context: Fixture.context(.coordinator), measure: .readmissions, query: query, groups: groups, comparison: comparison,
                definitionID: "urn:indgang:outcome:readmission:v1", asOf: Fixture.now))
    }

    /// The table's rows by their header: the cells' text.
    static func rows(_ html: String) -> [String: [String]] {
        let table = HTMLCheck(html).tables.first { $0.contains("class=\"data-table figures\"") } ?? ""
        var rows: [String: [String]] = [:]
        for row in table.matches(of: /<tr[^>]*>\s*<th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/) {
            rows[String(row.output.1)] = row.output.2.matches(of: /<td[^>]*>([\s\S]*?)<\/td>/).map { String($0.output.1) }
        }
        return rows
    }

    @Test func chartAndTableShowTheSameFigures() throws {
        let html = try page()
        #expect(HTMLCheck(html).violations() == [])
        let rows = Self.rows(html)
        #expect(rows["København"] == ["40", "320", "12,5 %", "9,3–16,6 %", "12"])
        #expect(rows["Hillerød"] == ["9", "60", "15,0 %", "8,1–26,1 %", "5"])
        #expect(rows["Esbjerg"] == ["&lt;5", "30", "skjult", "skjult", "&lt;5"])
        let svg = try #require(html.firstMatch(of: /<svg[\s\S]*<\/svg>/)).output
        #expect(svg.contains(">12,5 %</text>") && svg.contains(">15,0 %</text>"))
        #expect(svg.contains("København: 12,5 % (95 %-interval 9,3–16,6 %)."))
        #expect(svg.contains("Esbjerg: færre end 5"))
        #expect(svg.components(separatedBy: "<rect class=\"chart-bar\"").count - 1 == 2)
        #expect(html.contains("role=\"img\"") && html.contains("<title id=\"figur-titel\">"))
        #expect(html.contains("<th scope=\"col\">Kommune</th>"))
        #expect(html.contains("class=\"footnote\""))
    }

    @Test func theCsvLinkCarriesExactlyTheQuery() throws {
        let html = try page(query: OutcomeQuery(from: "2026-01-01", to: "2026-06-30", groupBy: "age_band", compare: "age_band:65-74,85+"))
        #expect(html.contains(
            "href=\"/console/outcomes/readmissions.csv?from=2026-01-01&amp;to=2026-06-30&amp;group_by=age_band&amp;compare=age_band%3A65-74%2C85%2B\""))
        let filter = try #require(HTMLCheck(html).forms.first { $0.attributes["id"] == "filter" })
        #expect(filter.attributes["method"] == "get" && filter.attributes["action"] == "/console/outcomes/readmissions")
        #expect(filter.body.contains("<option value=\"age_band\" selected>Aldersgruppe</option>"))
        #expect(filter.body.contains("value=\"age_band:65-74,85+\""))
    }

    @Test func periodOverPeriodIsAlwaysOffered() throws {
        let html = try page()
        #expect(html.contains(
            "<a href=\"/console/outcomes/readmissions?from=2026-01-01&amp;to=2026-12-31&amp;pathway=subacute-elderly&amp;group_by=municipality&amp;compare=period%3A2026-07-01\">Første mod anden halvdel af perioden (før og fra 1. jul. 2026)</a>"))
        let oneMonth = try page(query: OutcomeQuery(from: "2026-03-01", to: "2026-03-31"))
        #expect(!oneMonth.contains("compare=period"))
    }

    @Test func theDefinitionIsGivenInWordsAndCitable() throws {
        let html = try page()
        #expect(html.contains("Sådan er tallene opgjort") && html.contains("akut indlæggelse"))
        #expect(html.contains("<code>urn:indgang:outcome:readmission:v1</code> · opgjort 3. dec. 2026 kl. 14.05"))
        #expect(html.contains("Periode: 1. jan. 2026 – 31. dec. 2026."))
    }

    @Test func goalsGetAColumnAndACommonGoalALine() throws {
        var groups = Self.groups
        groups[0].goal = OutcomeGoal(target: 0.15, direction: "below", status: "met")
        groups[2].goal = OutcomeGoal(target: 0.15, direction: "below", status: "undetermined")
        let html = try page(groups)
        #expect(html.contains("<th scope=\"col\">Mål</th>"))
        #expect(html.contains("<span class=\"goal goal-met\">under 15,0 %: Opfyldt</span>"))
        #expect(html.contains("class=\"chart-goal-line\"") && html.contains(">Mål 15,0 %</text>"))
        #expect(!(try page()).contains("<th scope=\"col\">Mål</th>"))
    }

    @Test func aComparisonStatesTheDifferenceAndWhetherItIsChance() throws {
        let comparison = OutcomeComparisonFigures(a: Self.groups[0], b: Self.groups[2], difference: 0.025, ci95: -0.05...0.11, suppressed: false)
        let html = try page(comparison: comparison)
        #expect(HTMLCheck(html).violations() == [])
        #expect(html.contains("Sammenligning: Hillerød mod København"))
        #expect(html.contains("Forskel (B − A): <strong>+2,5 procentpoint</strong>. 95 %-interval: −5,0 procentpoint til +11,0 procentpoint."))
        #expect(html.contains("forskellen kan skyldes tilfældigheder"))
        let hidden = try page(comparison: OutcomeComparisonFigures(a: Self.groups[0], b: Self.groups[1], difference: nil, ci95: nil, suppressed: true))
        #expect(hidden.contains("Forskellen vises ikke") && !hidden.contains("Forskel (B − A)"))
    }

    @Test func monthlyGroupingDrawsASeries() throws {
        let html = try renderer.render(Gallery.monthlyOutcome())
        #expect(HTMLCheck(html).violations() == [])
        #expect(html.contains("<polyline class=\"chart-line\"") && !html.contains("<rect class=\"chart-bar\""))
        #expect(Self.rows(html)["apr. 2026"] == ["&lt;5", "200", "skjult", "skjult", "3"])
        #expect(Self.rows(html)["jan. 2026"]?[2] == "10,5 %")
        #expect(html.contains("Tilbagefald efter løsladelse"))
    }

    @Test func handoffPerformanceShowsWhereHandoffsWait() throws {
        let html = try renderer.render(Gallery.handoffOutcome())
        #expect(HTMLCheck(html).violations() == [])
        let rows = Self.rows(html)
        #expect(rows["&lt;script&gt;alert(1)&lt;/script&gt; → Københavns Kommune"] == [
            "&lt;script&gt;alert(1)&lt;/script&gt;", "120", "100", "8", "30", "25,0 %", "20,5 timer", "70 timer", "83,3 %", "76,0–89,0 %",
        ])
        #expect(rows["a → b"] == ["p", "7", "&lt;5", "&lt;5", "&lt;5", "skjult", "skjult", "skjult", "skjult", "skjult"])
        #expect(html.contains("href=\"/console/outcomes/handoffs.csv?from=2026-01-01&amp;to=2026-12-31\""))
        #expect(html.contains("<a href=\"/console/outcomes/handoffs\" aria-current=\"page\">"))
        #expect(!html.contains("name=\"compare\""))
    }

    @Test func coordinatorPagesCarryNoPersonalDataControls() throws {
        for html in [try page(), try renderer.render(Gallery.handoffOutcome()), try renderer.render(Gallery.monthlyOutcome())] {
            #expect(!html.contains("name=\"cpr\"") && !html.contains("/console/cases") && !html.contains("/console/search"))
            #expect(HTMLCheck(html).forms.allSatisfy { $0.attributes["method"] == "get" || $0.attributes["action"] == "/console/logout" })
        }
    }
}
