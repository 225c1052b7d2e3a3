import IndgangStore
import ServiceLifecycle

/// Keeps `PrincipalCache` truthful: LISTENs on `indgang_principals` (sent by triggers when a key or an actor
/// changes) and empties the cache on every notification. The cache answers only while this connection
/// listens; when it is lost the cache is switched off (every request asks the database) until listening again.
struct PrincipalChangeListener: Service {
    static let channel = "indgang_principals"

    let database: Database
    let cache: PrincipalCache
    var channel: String = Self.channel

    func run() async throws {
        let listener = ChangeListener(database: database, channel: channel)
        await cancelWhenGracefulShutdown {
            await listener.run(listening: { cache.setEnabled(true) }, notified: { cache.invalidate() }, lost: { cache.setEnabled(false) })
        }
    }
}
