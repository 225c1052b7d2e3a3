import Foundation

/// A timeline entry as the case page shows it: when, who (which organisation), what, and the details in words.
struct TimelineRow: Sendable {
    let atText: String
    let atISO: String
    let actorName: String
    let kindLabel: String
    let hasDetail: Bool
    let detail: String
    let isNote: Bool

    init(_ item: TimelineItem, actorNames: [String: String]) {
        atText = DanishFormat.dateTime(item.at)
        atISO = DanishFormat.machine(item.at)
        actorName = item.actor?.name ?? "Indgang (automatisk)"
        kindLabel = item.kind == "note" && item.data["change"] == "summary" ? "Resumé ændret" : DanishLabels.timelineKind(item.kind)
        let text = Self.detail(item, actorNames: actorNames)
        hasDetail = !text.isEmpty
        detail = text
        isNote = item.kind == "note" && item.data["text"] != nil
    }

    static func detail(_ item: TimelineItem, actorNames: [String: String]) -> String {
        let data = item.data
        func name(_ slug: String?) -> String? { slug.map { actorNames[$0] ?? $0 } }
        func reason() -> String? {
            guard let reason = data["reason"], !reason.isEmpty else { return nil }
            return reason == "case closed" ? "Sagen blev lukket." : "Begrundelse: " + reason
        }
        let parts: [String?]
        switch item.kind {
        case "handoff_requested":
            parts = [name(data["to_actor"]).map { "Til \($0)." }, reason()]
        case "handoff_accepted", "handoff_rejected", "handoff_cancelled":
            parts = [reason()]
        case "event_received":
            let when = data["occurred_at"].flatMap { try? Date($0, strategy: .iso8601) }.map(DanishFormat.dateTime)
            parts = [
                data["type"].map(DanishLabels.eventType), data["source"].map { "fra \($0)" }, when.map { "(sket \($0))" },
            ]
        case "note":
            parts = [data["text"], data["change"] == "summary" ? data["version"].map { "Ny version: \($0)." } : nil]
        case "closed":
            parts = [data["outcome"].map { "Udfald: " + DanishLabels.closeOutcome($0) + "." }, data["note"].flatMap { $0.isEmpty ? nil : $0 }]
        case "escalated", "handoff_overdue":
            parts = [name(data["to_actor"] ?? data["escalation_actor"]).map { "Sendt til \($0)." }]
        default:
            parts = []
        }
        return parts.compactMap { $0 }.joined(separator: " ")
    }
}

extension TimelineRow: RenderFields {
    var renderFields: [String: Any] {
        [
            "atText": atText, "atISO": atISO, "actorName": actorName, "kindLabel": kindLabel, "hasDetail": hasDetail, "detail": detail,
            "isNote": isNote,
        ]
    }
}
