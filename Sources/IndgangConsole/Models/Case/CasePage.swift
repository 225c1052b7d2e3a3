import Foundation

/// `GET /console/cases/{id}`: status, responsible actor, pending handoff, flags and the whole timeline, with the
/// forms the viewer may use. The responsible actor hands off, closes, edits the summary and adds notes; the
/// receiver of a pending handoff accepts or rejects it; its sender cancels it. The CPR is shown only when the
/// viewer asked for it (`POST /console/cases/{id}/citizen`, audited as a reveal) and the server passes it here.
public struct CasePage: ConsolePage {
    public static let template = "case"
    public let layout: LayoutModel
    let pathway: String
    let hasVariant: Bool
    let variant: String
    let statusLabel: String
    let isOpen: Bool
    let responsibleName: String
    let viewerIsResponsible: Bool
    let openedText: String
    let hasClosed: Bool
    let closedText: String
    let outcomeLabel: String
    let summary: String
    let hasSummary: Bool
    let hasExternalRef: Bool
    let externalRef: String
    let hasFlags: Bool
    let flagLabels: [String]
    let hasPending: Bool
    let pending: [HandoffRow]
    let timeline: [TimelineRow]
    let hasTimeline: Bool
    let cprShown: Bool
    let cpr: String
    let revealForm: FormModel
    let canHandOff: Bool
    let handoffForm: FormModel
    let canEdit: Bool
    let closeForm: FormModel
    let summaryForm: FormModel
    let noteForm: FormModel

    /// - Parameters:
    ///   - actors: every actor (slug and name): the receivers offered for a handoff (all but the viewer's own) and
    ///     the names the timeline shows for slugs.
    ///   - revealedCPR: the CPR, only in the answer to the viewer's reveal request.
    ///   - summaryDraft: the text the viewer tried to save when the save was refused (a concurrent edit): shown in
    ///     the form with the current `version`, so nothing typed is lost.
    public init(
        context: PageContext, detail: CaseDetail, timeline: [TimelineItem], actors: [ActorRef], revealedCPR: String? = nil,
        summaryDraft: String? = nil
    ) {
        let viewer = context.viewer?.actorSlug
        let open = detail.pendingHandoff.flatMap { $0.isOpen ? $0 : nil }
        let problem = context.flash.problem?.pinned(toFirstOf: [
            ("reject-" + (open?.id ?? ""), ["reason"]), ("handoff", ["to_actor", "reason"]), ("close", ["outcome", "note"]),
            ("summary", ["summary", "version"]), ("note", ["note"]),
        ])
        let base = ConsolePath.casePage(detail.id)
        pathway = detail.pathway
        hasVariant = detail.pathwayVariant != nil
        variant = detail.pathwayVariant ?? ""
        isOpen = detail.status == "open"
        statusLabel = DanishLabels.caseStatus(detail.status)
        responsibleName = detail.responsible.name
        viewerIsResponsible = viewer == detail.responsible.slug
        openedText = DanishFormat.dateTime(detail.openedAt)
        hasClosed = detail.closedAt != nil
        closedText = detail.closedAt.map(DanishFormat.dateTime) ?? ""
        outcomeLabel = detail.outcome.map(DanishLabels.closeOutcome) ?? ""
        summary = detail.summary
        hasSummary = !detail.summary.isEmpty
        hasExternalRef = detail.externalRef?.isEmpty == false
        externalRef = detail.externalRef ?? ""
        flagLabels = detail.flags.map(DanishLabels.flag)
        hasFlags = !detail.flags.isEmpty
        pending = open.map { [HandoffRow($0, viewer: viewer, now: context.now, problem: problem)] } ?? []
        hasPending = !pending.isEmpty
        let names = Dictionary(actors.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.timeline = timeline.map { TimelineRow($0, actorNames: names) }
        hasTimeline = !self.timeline.isEmpty
        cprShown = revealedCPR != nil
        cpr = revealedCPR ?? ""
        revealForm = FormModel(
            id: "reveal", action: base + "/citizen", submit: "Vis CPR-nummer", style: .secondary, submitContext: "(visningen logges)")

        canEdit = isOpen && viewerIsResponsible
        canHandOff = canEdit && open == nil
        let targets = actors.filter { $0.slug != viewer }.map { Choice(value: $0.slug, label: $0.name) }
        handoffForm = FormModel(
            id: "handoff", action: base + "/handoffs",
            fields: [
                .select(
                    form: "handoff", name: "to_actor", label: "Modtager", choices: targets, selected: nil, prompt: "Vælg modtager",
                    required: true, problem: problem),
                .textarea(
                    form: "handoff", name: "reason", label: "Begrundelse",
                    hint: "Hvad skal modtageren vide og gøre? Modtageren ser begrundelsen.", required: true, problem: problem),
            ], submit: "Send overdragelse")
        closeForm = FormModel(
            id: "close", action: base + "/close",
            fields: [
                .select(
                    form: "close", name: "outcome", label: "Udfald", choices: DanishLabels.closeOutcomeChoices, selected: nil,
                    prompt: "Vælg udfald", required: true, problem: problem),
                .textarea(
                    form: "close", name: "note", label: "Bemærkning",
                    hint: open == nil ? nil : "En ventende overdragelse annulleres, når sagen lukkes.", problem: problem),
            ], submit: "Luk sagen", style: .danger)
        summaryForm = FormModel(
            id: "summary", action: base + "/summary",
            fields: [
                .textarea(
                    form: "summary", name: "summary", label: "Resumé", value: summaryDraft ?? detail.summary,
                    hint: "Har en anden ændret resuméet imens, bliver du bedt om at se ændringen først.", problem: problem)
            ], hidden: [HiddenField(name: "version", value: String(detail.version))], submit: "Gem resumé", style: .secondary)
        noteForm = FormModel(
            id: "note", action: base + "/notes",
            fields: [.textarea(form: "note", name: "note", label: "Notat", required: true, problem: problem)],
            submit: "Tilføj notat", style: .secondary)

        var fields = pending.flatMap(\.fields)
        if canHandOff { fields += handoffForm.fields }
        if canEdit { fields += closeForm.fields + summaryForm.fields + noteForm.fields }
        layout = LayoutModel(context: context, heading: "Sag: " + detail.pathway, section: .cases, fields: fields)
    }
}
