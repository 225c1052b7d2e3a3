import Foundation

/// A handoff as the server hands it to the console (`HandoffDTO` with actor names and the pathway's title).
public struct HandoffItem: Sendable, Equatable {
    public var id: String
    public var caseID: String
    /// The pathway's title.
    public var pathway: String
    public var from: ActorRef
    public var to: ActorRef
    /// `pending`, `overdue`, `accepted`, `rejected` or `cancelled`.
    public var status: String
    public var reason: String
    public var requestedAt: Date
    public var dueAt: Date
    public var decidedAt: Date?
    /// The receiver's reason for a rejection.
    public var decisionReason: String?

    public init(
        id: String, caseID: String, pathway: String, from: ActorRef, to: ActorRef, status: String, reason: String, requestedAt: Date,
        dueAt: Date, decidedAt: Date? = nil, decisionReason: String? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.pathway = pathway
        self.from = from
        self.to = to
        self.status = status
        self.reason = reason
        self.requestedAt = requestedAt
        self.dueAt = dueAt
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
    }

    /// Still waiting for the receiver (pending, or pending past its due time).
    var isOpen: Bool { status == "pending" || status == "overdue" }

    func isOverdue(at now: Date) -> Bool { isOpen && (status == "overdue" || dueAt <= now) }
}
