import Foundation
import NIOConcurrencyHelpers
import PostgresNIO

/// Who is waiting on which connection to close. One close callback per connection however many transactions it
/// runs: a callback registered per transaction on a pooled connection that lives for hours could never be
/// removed and would pile up.
final class ConnectionWatch: Sendable {
    static let shared = ConnectionWatch()

    private let waiting = NIOLockedValueBox<[ObjectIdentifier: [UUID: @Sendable () -> Void]]>([:])

    /// Calls `closed` if `connection` closes before `stop(_:on:)` is called with the returned token.
    func watch(_ connection: PostgresConnection, closed: @escaping @Sendable () -> Void) -> UUID {
        let key = ObjectIdentifier(connection)
        let token = UUID()
        let firstWatcher = waiting.withLockedValue { waiting -> Bool in
            let first = waiting[key] == nil
            waiting[key, default: [:]][token] = closed
            return first
        }
        if firstWatcher {
            connection.closeFuture.whenComplete { [waiting] _ in
                let watchers = waiting.withLockedValue { $0.removeValue(forKey: key) } ?? [:]
                for closed in watchers.values { closed() }
            }
        }
        return token
    }

    func stop(_ token: UUID, on connection: PostgresConnection) {
        waiting.withLockedValue { waiting in _ = waiting[ObjectIdentifier(connection)]?.removeValue(forKey: token) }
    }
}
