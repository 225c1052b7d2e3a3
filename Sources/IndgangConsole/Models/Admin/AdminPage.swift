import IndgangCore

/// `GET /console/admin`: actors, keys (create: the key shown once; revoke), webhook subscriptions with their
/// deliveries and a redeliver form each, and "who looked at this citizen" found by CPR (a POST; the answer is
/// rendered on that request, and the CPR is not echoed). No case content.
public struct AdminPage: ConsolePage {
    public static let template = "admin"
    public let layout: LayoutModel
    let actorRows: [ActorRow]
    let hasActors: Bool
    let actorForm: FormModel
    let keyRows: [KeyRow]
    let hasKeys: Bool
    let keyForm: FormModel
    let created: CreatedKeyView?
    let subscriptions: [SubscriptionView]
    let hasSubscriptions: Bool
    let auditForm: FormModel
    let hasAuditResult: Bool
    let auditRows: [AuditRow]
    let hasAuditRows: Bool
    let auditResultText: String

    /// - Parameters:
    ///   - createdKey: only in the answer to the POST that created it.
    ///   - audit: only in the answer to the audit search's POST.
    public init(
        context: PageContext, actors: [AdminActor], keys: [AdminKey], subscriptions: [AdminSubscription], createdKey: CreatedKey? = nil,
        audit: AuditLookup? = nil
    ) {
        let problem = context.flash.problem
        actorRows = actors.map(ActorRow.init)
        hasActors = !actorRows.isEmpty
        actorForm = FormModel(
            id: "create-actor", action: "/console/admin/actors",
            fields: [
                .text(form: "create-actor", name: "slug", label: "Kortnavn", hint: "Små bogstaver, tal og bindestreg, fx hvidovre-hospital.", required: true, problem: problem),
                .text(form: "create-actor", name: "name", label: "Navn", required: true, problem: problem),
                .select(
                    form: "create-actor", name: "kind", label: "Type",
                    choices: ["municipality", "hospital", "prison", "psychiatry", "other"].map { Choice(value: $0, label: DanishLabels.actorKind($0)) },
                    selected: nil, prompt: "Vælg type", required: true, problem: problem),
                .text(
                    form: "create-actor", name: "municipality_code", label: "Kommunekode", hint: "Kun kommuner: tre cifre, fx 101.",
                    inputMode: "numeric", problem: problem),
            ], submit: "Opret aktør", style: .secondary)
        keyRows = keys.map(KeyRow.init)
        hasKeys = !keyRows.isEmpty
        keyForm = FormModel(
            id: "create-key", action: "/console/admin/keys",
            fields: [
                .select(
                    form: "create-key", name: "actor", label: "Aktør", choices: actors.map { Choice(value: $0.slug, label: $0.name) },
                    selected: nil, prompt: "Vælg aktør", required: true, problem: problem),
                .select(
                    form: "create-key", name: "role", label: "Rolle", choices: Role.allCases.map { Choice(value: $0.rawValue, label: DanishLabels.role($0)) },
                    selected: nil, prompt: "Vælg rolle", required: true, problem: problem),
                .text(form: "create-key", name: "label", label: "Beskrivelse", hint: "Hvem eller hvad nøglen er til.", problem: problem),
            ], submit: "Opret nøgle", style: .secondary)
        created = createdKey.map(CreatedKeyView.init)
        self.subscriptions = subscriptions.map(SubscriptionView.init)
        hasSubscriptions = !self.subscriptions.isEmpty
        auditForm = FormModel(
            id: "audit", action: "/console/admin/audit",
            fields: [
                .text(
                    form: "audit", name: "cpr", label: "CPR-nummer", hint: "Søgningen logges selv.", required: true, inputMode: "numeric",
                    problem: problem)
            ], submit: "Vis loggen")
        hasAuditResult = audit != nil
        switch audit {
        case .found(let records):
            auditRows = records.sorted { $0.at > $1.at }.map(AuditRow.init)
            auditResultText = records.isEmpty
                ? "Borgeren er kendt, men ingen har set borgerens oplysninger."
                : records.count == 1 ? "1 registrering." : "\(DanishFormat.integer(records.count)) registreringer, nyeste først."
        case .notFound:
            auditRows = []
            auditResultText = "Ingen borger med det CPR-nummer er kendt i Indgang."
        case nil:
            auditRows = []
            auditResultText = ""
        }
        hasAuditRows = !auditRows.isEmpty
        layout = LayoutModel(
            context: context, heading: "Administration", section: .admin, fields: actorForm.fields + keyForm.fields + auditForm.fields)
    }
}
