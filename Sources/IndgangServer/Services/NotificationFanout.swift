import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import ServiceLifecycle

/// Holds one `LISTEN indgang_notifications` connection per process and wakes every open live stream when
/// notifications commit (in this replica or any other). A wake-up only says "look again": streams read the
/// database themselves, so a missed or coalesced wake-up costs latency, never a notification.
final class NotificationFanout: Service, Sendable {
    static let channel = "indgang_notifications"

    private let client: PostgresClient
    private let logger: Logger
    private let subscribers = NIOLockedValueBox<[UUID: AsyncStream<Void>.Continuation]>([:])

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
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
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            delay = .milliseconds(100)
                            self.wakeAll()  // anything committed while we were not listening
                            for try await _ in notifications { self.wakeAll() }
                        }
                    }
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.warning("notification listener lost its connection; reconnecting", metadata: ["error_type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
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
