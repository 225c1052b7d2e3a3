import Foundation

/// `GET /console/inbox`: what needs the caseworker's actor now. Incoming handoffs (overdue first, then by due
/// time), outgoing ones still waiting, and recently rejected ones with the receiver's reason. Its fragment
/// `inbox-incoming` is what the console script re-fetches when the live stream says something happened.
public struct InboxPage: ConsolePage {
    public static let template = "inbox"
    public let layout: LayoutModel
    let incoming: [HandoffRow]
    let outgoing: [HandoffRow]
    let rejected: [HandoffRow]
    let hasIncoming: Bool
    let hasOutgoing: Bool
    let hasRejected: Bool
    let incomingCount: Int
    let incomingCountText: String
    let overdueCount: Int
    let overdueCountText: String
    let hasOverdue: Bool
    let outgoingCountText: String
    let rejectedCountText: String
    let incomingLinks: PageLinks?
    let outgoingLinks: PageLinks?

    /// - Parameters:
    ///   - incoming: open handoffs to the viewer's actor (`direction=incoming`, pending and overdue).
    ///   - outgoing: open handoffs from the viewer's actor.
    ///   - rejected: handoffs from the viewer's actor that were rejected (say, the last 30 days), so the sender acts again.
    ///   - paging: which page of each list this is, and the totals (without totals: the lists are all there is).
    public init(context: PageContext, incoming: [HandoffItem], outgoing: [HandoffItem], rejected: [HandoffItem], paging: InboxPaging = InboxPaging()) {
        let now = context.now
        let viewer = context.viewer?.actorSlug
        let sortedIncoming = incoming.filter(\.isOpen).sorted { a, b in
            let (aLate, bLate) = (a.isOverdue(at: now), b.isOverdue(at: now))
            if aLate != bLate { return aLate }
            return (a.dueAt, a.id) < (b.dueAt, b.id)
        }
        let problem = context.flash.problem?.pinned(toFirstOf: sortedIncoming.map { ("reject-" + $0.id, ["reason"]) })
        self.incoming = sortedIncoming.map { HandoffRow($0, viewer: viewer, now: now, problem: problem) }
        self.outgoing = outgoing.filter(\.isOpen).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
            .map { HandoffRow($0, viewer: viewer, now: now, problem: problem) }
        self.rejected = rejected.filter { $0.status == "rejected" }
            .sorted { ($0.decidedAt ?? $0.requestedAt, $0.id) > ($1.decidedAt ?? $1.requestedAt, $1.id) }
            .map { HandoffRow($0, viewer: viewer, now: now, problem: problem) }
        hasIncoming = !self.incoming.isEmpty
        hasOutgoing = !self.outgoing.isEmpty
        hasRejected = !self.rejected.isEmpty
        incomingCount = paging.incomingTotal ?? self.incoming.count
        incomingCountText = DanishFormat.count(incomingCount, cap: InboxPaging.countCap)
        overdueCount = paging.overdueTotal ?? self.incoming.filter(\.overdue).count
        overdueCountText = DanishFormat.count(overdueCount, cap: InboxPaging.countCap)
        hasOverdue = overdueCount > 0
        outgoingCountText = DanishFormat.count(paging.outgoingTotal ?? self.outgoing.count, cap: InboxPaging.countCap)
        rejectedCountText = DanishFormat.integer(self.rejected.count)
        func links(page: Int, shown: Int, more: Bool, href: (Int) -> String) -> PageLinks? {
            guard page > 1 || more else { return nil }
            let first = (page - 1) * InboxPaging.pageSize + 1
            return PageLinks(
                previousHref: page > 1 ? href(page - 1) : nil, nextHref: more ? href(page + 1) : nil,
                rangeText: "Viser \(DanishFormat.integer(first))–\(DanishFormat.integer(first + max(shown, 1) - 1))")
        }
        incomingLinks = links(page: paging.incomingPage, shown: self.incoming.count, more: paging.moreIncoming) {
            paging.href(incoming: $0, outgoing: paging.outgoingPage, anchor: "inkommende")
        }
        outgoingLinks = links(page: paging.outgoingPage, shown: self.outgoing.count, more: paging.moreOutgoing) {
            paging.href(incoming: paging.incomingPage, outgoing: $0, anchor: "udgaaende")
        }
        layout = LayoutModel(context: context, heading: "Indbakke", section: .inbox, fields: self.incoming.flatMap(\.fields))
    }
}
