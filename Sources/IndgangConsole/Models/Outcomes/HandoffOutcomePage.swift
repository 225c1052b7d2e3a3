import Foundation

/// `GET /console/outcomes/handoffs`: where handoffs wait. Per pathway and actor pair: the share accepted as a
/// chart with intervals, and in the table also rejected, overdue (count and share) and the time to acceptance.
public struct HandoffOutcomePage: ConsolePage {
    public static let template = "outcome-handoffs"
    public let layout: LayoutModel
    let periodText: String
    let filterForm: FormModel
    let chart: Markup
    let tableCaption: String
    let rows: [HandoffOutcomeRow]
    let hasRows: Bool
    let hasGoals: Bool
    let hasSuppressed: Bool
    let definitionTerms: [DefinitionTerm]
    let definitionID: String
    let hasAsOf: Bool
    let asOfText: String
    let csvHref: String

    public init(
        context: PageContext, query: OutcomeQuery, groups: [HandoffFigures], definitionID: String, asOf: Date? = nil,
        pathways: [Choice] = [], actors: [Choice] = []
    ) {
        let measure = CoordinatorFigure.handoffs
        periodText = query.periodText
        filterForm = OutcomeFilterForm.make(measure: measure, query: query, pathways: pathways, actors: actors, problem: context.flash.problem)
        let targets = Set(groups.compactMap { $0.goal?.target })
        chart = Markup(
            RateBarChart.svg(
                groups.map { ChartBar(label: $0.label, rate: $0.rate, interval: $0.ci95, suppressed: $0.suppressed) }, id: "figur",
                title: "Andel accepterede overdragelser \(query.periodText)",
                summary: "Andel accepterede overdragelser pr. afsender og modtager, med 95 %-intervaller.",
                goal: targets.count == 1 ? targets.first : nil))
        tableCaption = "Overdragelser pr. forløb, afsender og modtager, \(query.periodText). Andelen accepteret er den samme som i figuren."
        rows = groups.map(HandoffOutcomeRow.init)
        hasRows = !rows.isEmpty
        hasGoals = groups.contains { $0.goal != nil }
        hasSuppressed = rows.contains { $0.suppressed || $0.requestedText == FigureText.suppressedCount || $0.medianText == FigureText.hidden }
        definitionTerms = measure.definition.map { DefinitionTerm(term: $0.term, text: $0.text) } + OutcomePage.commonTerms
        self.definitionID = definitionID
        hasAsOf = asOf != nil
        asOfText = asOf.map(DanishFormat.dateTime) ?? ""
        csvHref = measure.csvPath + "?" + query.queryString
        layout = LayoutModel(context: context, heading: measure.heading, section: measure.section, fields: filterForm.fields)
    }
}
