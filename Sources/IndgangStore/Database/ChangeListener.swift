import Logging
import PostgresNIO

/// One reconnecting `LISTEN` loop on a channel that triggers `NOTIFY`: the live-stream fan-out and the API-key
/// cache both hold one. A lost connection is logged and retried with back-off (100 ms doubling to 5 s); the
/// owner hears when listening starts (anything committed meanwhile may have been missed), each notification,
/// and when it stopped listening.
public struct ChangeListener: Sendable {
    public let database: Database
    public let channel: String

    public init(database: Database, channel: String) {
        self.database = database
        self.channel = channel
    }

    /// Listens until the task is cancelled.
    public func run(
        listening: @escaping @Sendable () -> Void, notified: @escaping @Sendable () -> Void, lost: @escaping @Sendable () -> Void
    ) async {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await database.client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        delay = .milliseconds(100)
                        listening()
                        for try await _ in notifications { notified() }
                    }
                }
            } catch is CancellationError {
                break
            } catch {
                database.logger.warning(
                    "listener lost its connection; reconnecting", metadata: ["channel": "\(channel)", "error_type": "\(type(of: error))"])
            }
            lost()
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        lost()
    }
}
