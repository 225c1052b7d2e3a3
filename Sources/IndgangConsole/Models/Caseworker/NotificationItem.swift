import Foundation

/// A notification in the actor's inbox (`NotificationDTO`, its `data` with string values).
public struct NotificationItem: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var caseID: String?
    public var handoffID: String?
    public var createdAt: Date
    public var readAt: Date?
    public var data: [String: String]

    public init(
        id: String, kind: String, caseID: String? = nil, handoffID: String? = nil, createdAt: Date, readAt: Date? = nil,
        data: [String: String] = [:]
    ) {
        self.id = id
        self.kind = kind
        self.caseID = caseID
        self.handoffID = handoffID
        self.createdAt = createdAt
        self.readAt = readAt
        self.data = data
    }
}
