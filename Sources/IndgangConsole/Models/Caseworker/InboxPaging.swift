/// Where the inbox's two lists of open handoffs are: each shows a page of the most urgent, and the totals of all
/// of them (a page that held them all would be hundreds of rows at a busy municipality).
public struct InboxPaging: Sendable, Equatable {
    public static let pageSize = 25
    /// Totals above this read "over 1.000": counting every open handoff of a municipality with a backlog of
    /// thousands cost more than the rest of the page's reads together, and a caseworker acts on the first pages.
    public static let countCap = 1000

    /// 1-based page numbers.
    public var incomingPage: Int
    public var outgoingPage: Int
    /// Every open handoff to and from the viewer's actor, and the incoming ones past their due time (above
    /// `countCap`: more than it).
    public var incomingTotal: Int?
    public var overdueTotal: Int?
    public var outgoingTotal: Int?
    public var moreIncoming: Bool
    public var moreOutgoing: Bool

    public init(
        incomingPage: Int = 1, outgoingPage: Int = 1, incomingTotal: Int? = nil, overdueTotal: Int? = nil, outgoingTotal: Int? = nil,
        moreIncoming: Bool = false, moreOutgoing: Bool = false
    ) {
        self.incomingPage = incomingPage
        self.outgoingPage = outgoingPage
        self.incomingTotal = incomingTotal
        self.overdueTotal = overdueTotal
        self.outgoingTotal = outgoingTotal
        self.moreIncoming = moreIncoming
        self.moreOutgoing = moreOutgoing
    }

    /// The inbox's address with the given pages (page 1 is left out).
    func href(incoming: Int, outgoing: Int, anchor: String) -> String {
        let parameters = [incoming > 1 ? "incoming_page=\(incoming)" : nil, outgoing > 1 ? "outgoing_page=\(outgoing)" : nil].compactMap { $0 }
        return "/console/inbox" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")) + "#" + anchor
    }
}

/// A "previous / next" link pair under one of the inbox's lists.
struct PageLinks: Sendable {
    let previousHref: String?
    let nextHref: String?
    let rangeText: String
    // Stored, not computed: the templates read a model's stored properties.
    let hasPrevious: Bool
    let hasNext: Bool
    let pageSize = InboxPaging.pageSize

    init(previousHref: String?, nextHref: String?, rangeText: String) {
        self.previousHref = previousHref
        self.nextHref = nextHref
        self.rangeText = rangeText
        hasPrevious = previousHref != nil
        hasNext = nextHref != nil
    }
}
