import Foundation

/// `GET /console/outcomes/readmissions|recidivism`: the chart and the same figures as a table, 95 % intervals,
/// `<5` for suppressed counts, goals where they apply, a comparison if asked for, the definition in words and
/// the CSV link. Aggregates only: nothing here identifies a citizen.
public struct OutcomePage: ConsolePage {
    public static let template = "outcome"
    public let layout: LayoutModel
    let periodText: String
    let filterForm: FormModel
    let chart: Markup
    let tableCaption: String
    let groupHeader: String
    let numeratorLabel: String
    let denominatorLabel: String
    let rateLabel: String
    let rows: [OutcomeRow]
    let hasRows: Bool
    let hasGoals: Bool
    let hasSuppressed: Bool
    let comparison: ComparisonView?
    let definitionTerms: [DefinitionTerm]
    let definitionID: String
    let hasAsOf: Bool
    let asOfText: String
    let csvHref: String
    let hasSuggestions: Bool
    let suggestions: [LinkItem]

    /// - Parameters:
    ///   - measure: `.readmissions` or `.recidivism` (handoffs have their own page, `HandoffOutcomePage`).
    ///   - groups: the answer's groups, in the API's order (months in order for `group_by=month`).
    ///   - definitionID: the answer's `definition.id`, so a figure can be cited; `asOf`: `definition.as_of`.
    ///   - pathways, actors: the filter form's choices (id or slug, and a name).
    ///   - comparisons: ready-made comparisons offered as links (a `compare` value such as `municipality:101,561`, and
    ///     its label); the two halves of the window are always offered.
    public init(
        context: PageContext, measure: CoordinatorFigure, query: OutcomeQuery, groups: [OutcomeGroup],
        comparison: OutcomeComparisonFigures? = nil, definitionID: String, asOf: Date? = nil, pathways: [Choice] = [],
        actors: [Choice] = [], comparisons: [Choice] = []
    ) {
        let groupBy = query.groupBy
        let labels = groups.map { $0.displayLabel(groupBy: groupBy) }
        periodText = query.periodText
        filterForm = OutcomeFilterForm.make(measure: measure, query: query, pathways: pathways, actors: actors, problem: context.flash.problem)
        let title = "\(measure.rateLabel) \(query.periodText)"
        let summary = "\(measure.rateLabel)\(groupBy.map { " pr. " + DanishLabels.groupBy($0).lowercased() } ?? ""), med 95 %-intervaller."
        let goal = Self.commonGoal(groups)
        if groupBy == "month" {
            chart = Markup(MonthlyRateChart.svg(groups.map { $0.bar(labelled: $0.key) }, id: "figur", title: title, summary: summary, goal: goal))
        } else {
            chart = Markup(
                RateBarChart.svg(zip(groups, labels).map { $0.bar(labelled: $1) }, id: "figur", title: title, summary: summary, goal: goal))
        }
        tableCaption = "\(measure.rateLabel), \(query.periodText). Samme tal som i figuren."
        groupHeader = groupBy.map(DanishLabels.groupBy) ?? "Gruppe"
        numeratorLabel = measure.numeratorLabel
        denominatorLabel = measure.denominatorLabel
        rateLabel = measure.rateLabel
        rows = zip(groups, labels).map { OutcomeRow($0, label: $1) }
        hasRows = !rows.isEmpty
        hasGoals = groups.contains { $0.goal != nil }
        hasSuppressed = groups.contains(where: \.suppressed) || groups.contains { $0.denominator == nil || $0.censored == nil }
        self.comparison = comparison.map { ComparisonView($0, groupBy: groupBy) }
        definitionTerms = measure.definition.map { DefinitionTerm(term: $0.term, text: $0.text) } + Self.commonTerms
        self.definitionID = definitionID
        hasAsOf = asOf != nil
        asOfText = asOf.map(DanishFormat.dateTime) ?? ""
        csvHref = measure.csvPath + "?" + query.queryString
        var offered = comparisons
        if let midpoint = query.midpoint, !offered.contains(where: { $0.value == "period:" + midpoint }) {
            offered.insert(Choice(value: "period:" + midpoint, label: "Første mod anden halvdel af perioden (før og fra \(DanishFormat.date(isoDay: midpoint) ?? midpoint))"), at: 0)
        }
        suggestions = offered.map { LinkItem(href: measure.path + "?" + query.comparing($0.value).queryString, label: $0.label) }
        hasSuggestions = !suggestions.isEmpty
        layout = LayoutModel(context: context, heading: measure.heading, section: measure.section, fields: filterForm.fields)
    }

    static let commonTerms = [
        DefinitionTerm(term: "95 %-interval", text: "Wilsons interval: med 95 % sikkerhed ligger den sande andel inden for stregen i figuren."),
        DefinitionTerm(
            term: "<5", text: "Tal fra 1 til 4 vises ikke, og heller ikke den andel, der er regnet af dem. Et andet lille tal skjules også, hvis det ellers kunne regnes ud fra totalen."),
    ]

    /// The goal line to draw: only when every group with a goal has the same target.
    static func commonGoal(_ groups: [OutcomeGroup]) -> Double? {
        let targets = Set(groups.compactMap { $0.goal?.target })
        return targets.count == 1 ? targets.first : nil
    }
}
