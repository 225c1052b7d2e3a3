import Foundation
import NIOConcurrencyHelpers
import IndgangStore
import ServiceLifecycle

/// Holds one `LISTEN indgang_notifications` connection per process and wakes every open live stream when
/// notifications commit (in this replica or any other). A wake-up only says "look again": streams read the
/// database themselves, so a missed or coalesced wake-up costs latency, never a notification.
final class NotificationFanout: Service, Sendable {
    static let channel = "indgang_notifications"

    private let listener: ChangeListener
    private let subscribers = NIOLockedValueBox<[UUID: AsyncStream<Void>.Continuation]>([:])

    init(database: Database) {
        self.listener = ChangeListener(database: database, channel: Self.channel)
    }

    /// A stream of wake-ups (its continuation is returned too, so the subscriber can add its own, e.g. a poll
    /// timer); the caller ends it by calling `unsubscribe` with the returned id.
    func subscribe() -> (id: UUID, wakeUps: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        subscribers.withLockedValue { $0[id] = continuation }
        return (id, stream, continuation)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.withLockedValue { $0.removeValue(forKey: id) }?.finish()
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // On (re)connecting, wake everyone: anything committed while nobody listened.
            await self.listener.run(listening: { self.wakeAll() }, notified: { self.wakeAll() }, lost: {})
        }
        subscribers.withLockedValue { subscribers in
            subscribers.values.forEach { $0.finish() }
            subscribers.removeAll()
        }
    }

    private func wakeAll() {
        subscribers.withLockedValue { subscribers in
            for continuation in subscribers.values { continuation.yield() }
        }
    }
}
