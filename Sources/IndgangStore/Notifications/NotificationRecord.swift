import Foundation

public struct NotificationRecord: Sendable, Equatable {
    public let id: UUID
    /// Order of creation; the cursor of the inbox (and the event id of the live stream).
    public let position: Int64
    public let kind: String
    public let caseID: UUID?
    public let handoffID: UUID?
    public let createdAt: Date
    public let readAt: Date?
    /// A JSON object of ids and kinds; never CPR or free text.
    public let data: String
}
