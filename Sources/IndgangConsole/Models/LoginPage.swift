/// `GET /console/login`: the personal API key form (`api_key`, CSRF bound to the pre-session cookie). Other ways
/// to sign in (an OIDC broker for MitID Erhverv, later) are links in `alternatives`, so the pages after login
/// never change with the way in.
public struct LoginPage: ConsolePage {
    public static let template = "login"
    public let layout: LayoutModel
    let form: FormModel
    let hasAlternatives: Bool
    let alternatives: [LinkItem]

    /// `alternatives`: other sign-in routes (URL and label).
    public init(context: PageContext, alternatives: [Choice] = []) {
        let id = "login"
        form = FormModel(
            id: id, action: "/console/login",
            fields: [
                .text(
                    form: id, name: "api_key", label: "Personlig API-nøgle", type: "password",
                    hint: "Nøglen begynder med igk_. Den bliver ikke gemt i browseren; sessionen udløber efter 30 minutters inaktivitet.",
                    required: true, problem: context.flash.problem)
            ], submit: "Log ind")
        self.alternatives = alternatives.map { LinkItem(href: $0.value, label: $0.label) }
        hasAlternatives = !self.alternatives.isEmpty
        layout = LayoutModel(context: context, heading: "Log ind", section: .none, fields: form.fields)
    }
}
