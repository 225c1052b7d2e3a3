/// `GET` and `POST /console/search`: find a citizen by CPR. The CPR is posted, answered on the same request
/// (never in a URL) and not echoed back into the page.
public struct SearchPage: ConsolePage {
    public static let template = "search"
    public let layout: LayoutModel
    let form: FormModel
    let hasResult: Bool
    let notFound: Bool
    let found: Bool
    let rows: [CaseRow]
    let hasRows: Bool
    let resultText: String
    let tableCaption = "Borgerens sager, som I har adgang til."

    public init(context: PageContext, result: SearchResult? = nil) {
        let id = "search"
        form = FormModel(
            id: id, action: "/console/search",
            fields: [
                .text(
                    form: id, name: "cpr", label: "CPR-nummer", hint: "10 cifre, med eller uden bindestreg. Søgningen logges.", required: true,
                    inputMode: "numeric", problem: context.flash.problem)
            ], submit: "Søg")
        hasResult = result != nil
        switch result {
        case .found(let cases):
            found = true
            notFound = false
            rows = cases.map { CaseRow($0, now: context.now) }
            resultText = rows.isEmpty
                ? "Borgeren findes i Indgang, men I har ikke adgang til nogen af borgerens sager."
                : "Borgeren findes. I har adgang til \(DanishFormat.integer(rows.count)) \(rows.count == 1 ? "sag" : "sager")."
        case .notFound:
            (found, notFound, rows) = (false, true, [])
            resultText = "Ingen borger med det CPR-nummer er kendt i Indgang."
        case nil:
            (found, notFound, rows, resultText) = (false, false, [], "")
        }
        hasRows = !rows.isEmpty
        layout = LayoutModel(context: context, heading: "Find borger", section: .search, fields: form.fields)
    }
}
