import Foundation

struct NotificationRow: Sendable {
    let kindLabel: String
    let createdText: String
    let createdISO: String
    let unread: Bool
    let hasCase: Bool
    let caseHref: String
    let detail: String
    let readForm: FormModel

    init(_ item: NotificationItem, actorNames: [String: String]) {
        kindLabel = DanishLabels.notificationKind(item.kind)
        createdText = DanishFormat.dateTime(item.createdAt)
        createdISO = DanishFormat.machine(item.createdAt)
        unread = item.readAt == nil
        hasCase = item.caseID != nil
        caseHref = item.caseID.map { ConsolePath.casePage($0) } ?? ""
        func name(_ key: String) -> String? { item.data[key].map { actorNames[$0] ?? $0 } }
        switch item.kind {
        case "case.contact_requested":
            detail = "\(name("requesting_actor") ?? "En anden organisation") ville oprette en sag for en borger, I har ansvaret for, og beder jer tage kontakt."
        default:
            detail = [name("from_actor").map { "Fra \($0)" }, name("to_actor").map { "til \($0)" }].compactMap { $0 }.joined(separator: " ")
                + (item.data["from_actor"] != nil || item.data["to_actor"] != nil ? "." : "")
        }
        readForm = FormModel(
            id: "read-" + item.id, action: "/console/notifications/\(ConsolePath.segment(item.id))/read", submit: "Markér som læst",
            style: .secondary, submitContext: "(\(kindLabel), \(createdText))")
    }
}
