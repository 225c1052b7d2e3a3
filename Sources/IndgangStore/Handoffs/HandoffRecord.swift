import Foundation
import IndgangCore

public struct HandoffRecord: Sendable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let fromActor: String
    public let toActor: String
    public let status: HandoffStatus
    public let reason: String
    public let requestedAt: Date
    public let dueAt: Date
    public let decidedAt: Date?
    public let decisionReason: String?
    /// The case's pathway (for lists that show it; not part of the API's handoff).
    public var pathway: String? = nil
}

/// How many handoffs are open for an actor, whatever one page shows; each counted up to the cap asked for plus one,
/// which stands for "more than the cap".
public struct OpenHandoffCounts: Sendable, Equatable {
    public let incoming: Int
    /// Incoming ones past their due time (marked overdue, or about to be by the next sweep).
    public let incomingOverdue: Int
    public let outgoing: Int

    public init(incoming: Int, incomingOverdue: Int, outgoing: Int) {
        self.incoming = incoming
        self.incomingOverdue = incomingOverdue
        self.outgoing = outgoing
    }
}

public struct HandoffListQuery: Sendable {
    public enum Direction: String, Sendable, CaseIterable {
        case incoming, outgoing
    }

    public var direction: Direction?
    public var status: HandoffStatus?
    /// Only pending and overdue ones (what an inbox shows), in SQL, so older open ones are never cut off.
    public var openOnly = false
    /// Most urgent first (by due time, so overdue ones lead), paged by `offset`, instead of newest first by cursor.
    public var dueFirst = false
    public var offset = 0
    public var cursor: UUID?
    public var limit: Int

    public init(direction: Direction? = nil, status: HandoffStatus? = nil, cursor: UUID? = nil, limit: Int = 50) {
        self.direction = direction
        self.status = status
        self.cursor = cursor
        self.limit = limit
    }
}
