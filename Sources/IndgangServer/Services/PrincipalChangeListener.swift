import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps `PrincipalCache` truthful: LISTENs on `indgang_principals` (sent by triggers when a key or an actor
/// changes) and empties the cache on every notification. The cache answers only while this connection
/// listens; when it is lost the cache is switched off (every request asks the database) until listening again.
struct PrincipalChangeListener: Service {
    static let channel = "indgang_principals"

    let client: PostgresClient
    let cache: PrincipalCache
    var channel: String = Self.channel
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            delay = .milliseconds(100)
                            cache.setEnabled(true)
                            for try await _ in notifications { cache.invalidate() }
                        }
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("principal change listener lost its connection; reconnecting", metadata: ["error_type": "\(type(of: error))"])
                }
                cache.setEnabled(false)
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        cache.setEnabled(false)
    }
}
