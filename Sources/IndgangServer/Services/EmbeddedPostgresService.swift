import IndgangStore
import ServiceLifecycle

/// Keeps the embedded cluster for the application's lifetime and stops it on graceful shutdown. It is the
/// first service of the group, so it shuts down last: after the HTTP server and the connection pool.
struct EmbeddedPostgresService: Service {
    let cluster: EmbeddedPostgres

    func run() async throws {
        try? await gracefulShutdown()
        cluster.stop()
    }
}
