/// The open-case form (`POST /console/cases` with `cpr`, `pathway`, `summary`), and the answer when the citizen
/// already has a case on that pathway: whom to contact, or that the holder has been asked to make contact.
/// Render this page itself (not a flash) for a duplicate.
public struct NewCasePage: ConsolePage {
    public static let template = "case-new"
    public let layout: LayoutModel
    let form: FormModel
    let isDuplicate: Bool
    let duplicateVisible: Bool
    let existingCaseHref: String
    let contactRequested: Bool

    /// - Parameters:
    ///   - pathways: the pathways a case may be opened on (id and title).
    ///   - values: the form's values after a refused field; empty by default.
    public init(context: PageContext, pathways: [Choice], values: NewCaseValues = NewCaseValues(), duplicate: DuplicateCase? = nil) {
        let problem = context.flash.problem
        let id = "open-case"
        form = FormModel(
            id: id, action: "/console/cases",
            fields: [
                .text(
                    form: id, name: "cpr", label: "CPR-nummer", value: values.cpr, hint: "10 cifre, med eller uden bindestreg (ddmmåå-xxxx).",
                    required: true, inputMode: "numeric", problem: problem),
                .select(
                    form: id, name: "pathway", label: "Forløb", choices: pathways, selected: values.pathway, prompt: "Vælg forløb",
                    required: true, problem: problem),
                .textarea(
                    form: id, name: "summary", label: "Resumé", value: values.summary,
                    hint: "Kort om borgerens situation; de organisationer, der får sagen, kan se det.", problem: problem),
            ], submit: "Opret sag")
        isDuplicate = duplicate != nil
        if case .visible(let caseID) = duplicate {
            duplicateVisible = true
            existingCaseHref = ConsolePath.casePage(caseID)
        } else {
            duplicateVisible = false
            existingCaseHref = ""
        }
        contactRequested = duplicate == .contactRequested
        layout = LayoutModel(context: context, heading: "Opret sag", section: .newCase, fields: form.fields)
    }
}
