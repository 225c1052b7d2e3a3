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

    /// - Parameters:
    ///   - incoming: open handoffs to the viewer's actor (`direction=incoming`, pending and overdue).
    ///   - outgoing: open handoffs from the viewer's actor.
    ///   - rejected: handoffs from the viewer's actor that were rejected (say, the last 30 days), so the sender acts again.
    public init(context: PageContext, incoming: [HandoffItem], outgoing: [HandoffItem], rejected: [HandoffItem]) {
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
        incomingCount = self.incoming.count
        incomingCountText = DanishFormat.integer(incomingCount)
        overdueCount = self.incoming.filter(\.overdue).count
        overdueCountText = DanishFormat.integer(overdueCount)
        hasOverdue = overdueCount > 0
        outgoingCountText = DanishFormat.integer(self.outgoing.count)
        rejectedCountText = DanishFormat.integer(self.rejected.count)
        layout = LayoutModel(context: context, heading: "Indbakke", section: .inbox, fields: self.incoming.flatMap(\.fields))
    }
}
