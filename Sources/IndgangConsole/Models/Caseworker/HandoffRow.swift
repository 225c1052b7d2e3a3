import Foundation

/// A handoff as the inbox and the case page show it, with the actions the viewer may take on it.
struct HandoffRow: Sendable {
    let id: String
    let caseHref: String
    let pathway: String
    let fromName: String
    let toName: String
    let statusLabel: String
    let reason: String
    let requestedText: String
    let requestedISO: String
    let dueText: String
    let dueISO: String
    let dueRelative: String
    let overdue: Bool
    let isRejected: Bool
    let decidedText: String
    let hasDecisionReason: Bool
    let decisionReason: String
    let canDecide: Bool
    let acceptForm: FormModel
    let rejectForm: FormModel
    /// A refused rejection keeps its form open (`<details open>`), so the message is seen next to the field.
    let rejectOpen: Bool
    let canCancel: Bool
    let cancelForm: FormModel

    init(_ item: HandoffItem, viewer: String?, now: Date, problem: FormProblem?) {
        id = item.id
        caseHref = ConsolePath.casePage(item.caseID)
        pathway = item.pathway
        fromName = item.from.name
        toName = item.to.name
        overdue = item.isOverdue(at: now)
        statusLabel = DanishLabels.handoffStatus(overdue ? "overdue" : item.status)
        reason = item.reason
        requestedText = DanishFormat.dateTime(item.requestedAt)
        requestedISO = DanishFormat.machine(item.requestedAt)
        dueText = DanishFormat.dateTime(item.dueAt)
        dueISO = DanishFormat.machine(item.dueAt)
        dueRelative = DanishFormat.relativeDue(item.dueAt, now: now)
        isRejected = item.status == "rejected"
        decidedText = item.decidedAt.map(DanishFormat.dateTime) ?? ""
        hasDecisionReason = item.decisionReason?.isEmpty == false
        decisionReason = item.decisionReason ?? ""
        let segment = ConsolePath.segment(item.id)
        canDecide = item.isOpen && viewer == item.to.slug
        canCancel = item.isOpen && viewer == item.from.slug
        let context = "overdragelsen fra \(item.from.name) til \(item.to.name) (\(item.pathway))"
        acceptForm = FormModel(
            id: "accept-" + item.id, action: "/console/handoffs/\(segment)/accept", submit: "Accepter", submitContext: context)
        let reasonField = FormField.textarea(
            form: "reject-" + item.id, name: "reason", label: "Begrundelse for afvisningen",
            hint: "Afsenderen ser begrundelsen og kan overdrage sagen til en anden.", required: true, problem: problem)
        rejectForm = FormModel(
            id: "reject-" + item.id, action: "/console/handoffs/\(segment)/reject", fields: [reasonField], submit: "Afvis",
            style: .danger, submitContext: context)
        rejectOpen = reasonField.hasError
        cancelForm = FormModel(
            id: "cancel-" + item.id, action: "/console/handoffs/\(segment)/cancel", submit: "Annuller", style: .secondary,
            submitContext: context)
    }

    /// The fields this row's forms show (for the layout's alert).
    var fields: [FormField] { canDecide ? rejectForm.fields : [] }
}

extension HandoffRow: RenderFields {
    var renderFields: [String: Any] {
        [
            "id": id, "caseHref": caseHref, "pathway": pathway, "fromName": fromName, "toName": toName, "statusLabel": statusLabel,
            "reason": reason, "requestedText": requestedText, "requestedISO": requestedISO, "dueText": dueText, "dueISO": dueISO,
            "dueRelative": dueRelative, "overdue": overdue, "isRejected": isRejected, "decidedText": decidedText,
            "hasDecisionReason": hasDecisionReason, "decisionReason": decisionReason, "canDecide": canDecide, "acceptForm": acceptForm,
            "rejectForm": rejectForm, "rejectOpen": rejectOpen, "canCancel": canCancel, "cancelForm": cancelForm,
        ]
    }
}
