import Foundation
import Hummingbird
import IndgangSchema
import IndgangStore
import Logging
import Metrics
import PostgresNIO

/// `/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`: no key needed, no personal data.
struct OperationsController {
    let database: Database
    let migrator: Migrator
    let metrics: PrometheusExporter
    let openAPIDocument: Data
    let subscriptions: any SubscriptionRepository

    struct Health: ResponseEncodable {
        let status: String
        let checks: [String: String]?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok", checks: nil) }
        router.get("readyz", use: ready)
        router.get("metrics") { _, _ in
            // The outbox backlog is read at scrape time (it is state in the database, not an event in this process).
            if let backlog = try? await subscriptions.backlog() {
                Gauge(label: "indgang_webhook_pending_deliveries").record(backlog.pending)
                Gauge(label: "indgang_webhook_oldest_pending_seconds").record(backlog.oldestAge)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
        }
    }

    func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        var checks: [String: String] = [:]
        var ready = true
        do {
            // A load balancer's health check must see 503 at once while the database is gone, not time out itself.
            let current = try await Deadline.run(within: Self.readinessDeadline) {
                try await migrator.isCurrent(client: database.client, logger: database.logger)
            }
            checks["database"] = "ok"
            checks["migrations"] = current ? "ok" : "pending"
            ready = current
        } catch {
            checks["database"] = "unreachable"
            ready = false
        }
        var response = try context.responseEncoder.encode(Health(status: ready ? "ok" : "unavailable", checks: checks), from: request, context: context)
        response.status = ready ? .ok : .serviceUnavailable
        return response
    }

    /// Well inside the 2 seconds a health check typically allows.
    static let readinessDeadline = Duration.milliseconds(1500)
}
