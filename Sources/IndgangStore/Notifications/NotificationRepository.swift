import Foundation
import IndgangCore

/// An actor's inbox of notifications (written by the commands that cause them, in the same transaction).
public protocol NotificationRepository: Sendable {
    func inbox(unreadOnly: Bool, cursor: Int64?, limit: Int, access: AccessContext) async throws -> Page<NotificationRecord>
    /// How many unread notifications the caller's actor has, counting at most `limit` (a badge's number: no
    /// case or citizen is read, so nothing is audited).
    func unreadCount(limit: Int, access: AccessContext) async throws -> Int
    /// Marks the notification read (once; repeating answers the same). Another actor's notification is not found.
    func markRead(id: UUID, access: AccessContext) async throws -> NotificationRecord
    /// Where a new live stream starts: after everything already committed.
    func streamStart() async throws -> StreamPosition
    /// The caller's notifications after `position` that are final (no earlier one can still commit), in stream
    /// order; each with its own stream position.
    func stream(after position: StreamPosition, limit: Int, access: AccessContext) async throws -> [(NotificationRecord, StreamPosition)]
}

/// A place in the live stream: the writing transaction's id, then the position. Rendered as `xid.position`
/// (the SSE event id, sent back as `Last-Event-ID`).
public struct StreamPosition: Sendable, Equatable, CustomStringConvertible {
    public let transaction: UInt64
    public let position: Int64

    public init(transaction: UInt64, position: Int64) {
        self.transaction = transaction
        self.position = position
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let transaction = UInt64(parts[0]), let position = Int64(parts[1]) else { return nil }
        self.init(transaction: transaction, position: position)
    }

    public var description: String { "\(transaction).\(position)" }
}
