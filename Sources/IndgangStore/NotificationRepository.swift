import Foundation
import IndgangCore

/// An actor's inbox of notifications (written by the commands that cause them, in the same transaction).
public protocol NotificationRepository: Sendable {
    func inbox(unreadOnly: Bool, cursor: Int64?, limit: Int, access: AccessContext) async throws -> Page<NotificationRecord>
    /// Marks the notification read (once; repeating answers the same). Another actor's notification is not found.
    func markRead(id: UUID, access: AccessContext) async throws -> NotificationRecord
}
