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

public struct HandoffListQuery: Sendable {
    public enum Direction: String, Sendable, CaseIterable {
        case incoming, outgoing
    }

    public var direction: Direction?
    public var status: HandoffStatus?
    /// Only pending and overdue ones (what an inbox shows), in SQL, so older open ones are never cut off.
    public var openOnly = false
    public var cursor: UUID?
    public var limit: Int

    public init(direction: Direction? = nil, status: HandoffStatus? = nil, cursor: UUID? = nil, limit: Int = 50) {
        self.direction = direction
        self.status = status
        self.cursor = cursor
        self.limit = limit
    }
}
