import Foundation

/// A case as a row of the cases list and of the citizen search's results.
struct CaseRow: Sendable {
    let href: String
    let pathway: String
    let statusLabel: String
    let isClosed: Bool
    let responsibleName: String
    let openedText: String
    let openedISO: String
    let summaryExcerpt: String
    let hasFlags: Bool
    let flagLabels: [String]
    let hasPendingHandoff: Bool
    let pendingText: String
    let pendingOverdue: Bool

    static let excerptLength = 140

    init(_ item: CaseItem, now: Date) {
        href = ConsolePath.casePage(item.id)
        pathway = item.pathway
        statusLabel = DanishLabels.caseStatus(item.status)
        isClosed = item.status == "closed"
        responsibleName = item.responsible.name
        openedText = DanishFormat.date(item.openedAt)
        openedISO = DanishFormat.machine(item.openedAt)
        summaryExcerpt = item.summary.count > Self.excerptLength ? String(item.summary.prefix(Self.excerptLength - 1)) + "…" : item.summary
        flagLabels = item.flags.map(DanishLabels.flag)
        hasFlags = !item.flags.isEmpty
        let pending = item.pendingHandoff.flatMap { $0.isOpen ? $0 : nil }
        hasPendingHandoff = pending != nil
        pendingText = pending.map { "Til \($0.to.name), frist \(DanishFormat.dateTime($0.dueAt))" } ?? ""
        pendingOverdue = pending?.isOverdue(at: now) ?? false
    }
}

extension CaseRow: RenderFields {
    var renderFields: [String: Any] {
        [
            "href": href, "pathway": pathway, "statusLabel": statusLabel, "isClosed": isClosed, "responsibleName": responsibleName,
            "openedText": openedText, "openedISO": openedISO, "summaryExcerpt": summaryExcerpt, "hasFlags": hasFlags,
            "flagLabels": flagLabels, "hasPendingHandoff": hasPendingHandoff, "pendingText": pendingText, "pendingOverdue": pendingOverdue,
        ]
    }
}
