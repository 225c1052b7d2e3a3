/// `GET /console/cases`: the viewer's actor's cases, filtered (a GET form: filters are not personal data).
public struct CasesPage: ConsolePage {
    public static let template = "cases"
    public let layout: LayoutModel
    let filterForm: FormModel
    let rows: [CaseRow]
    let tableCaption = "Sager, som jeres organisation har eller har haft ansvaret for, eller som venter på jeres svar på en overdragelse."
    let hasRows: Bool
    let countText: String
    let hasNextPage: Bool
    let nextPageHref: String

    /// - Parameters:
    ///   - pathways: the pathways to filter by (id and title).
    ///   - cases: one page of cases matching `filter`.
    ///   - nextPageHref: the next page's URL (same filters, the API's `next_cursor`), if there is one.
    public init(context: PageContext, filter: CaseFilter, pathways: [Choice], cases: [CaseItem], nextPageHref: String? = nil) {
        let form = "filter"
        filterForm = FormModel(
            id: form, action: "/console/cases", post: false,
            fields: [
                .select(form: form, name: "pathway", label: "Forløb", choices: pathways, selected: filter.pathway, prompt: "Alle forløb", problem: nil),
                .select(
                    form: form, name: "status", label: "Status",
                    choices: [Choice(value: "open", label: "Åbne"), Choice(value: "closed", label: "Lukkede")], selected: filter.status,
                    prompt: "Åbne og lukkede", problem: nil),
                .checkbox(form: form, name: "overdue", label: "Kun sager med en overdragelse over frist", checked: filter.overdue),
                .checkbox(form: form, name: "flagged", label: "Kun markerede sager (genindlæggelse, ny kriminalitet)", checked: filter.flagged),
            ], submit: "Vis sager", style: .secondary)
        rows = cases.map { CaseRow($0, now: context.now) }
        hasRows = !rows.isEmpty
        countText = DanishFormat.integer(rows.count)
        hasNextPage = nextPageHref != nil
        self.nextPageHref = nextPageHref ?? ""
        layout = LayoutModel(context: context, heading: "Sager", section: .cases)
    }
}
