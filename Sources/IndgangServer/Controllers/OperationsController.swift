import Foundation
import Hummingbird
import IndgangSchema
import IndgangStore
import Logging
import Metrics

/// `/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`: no key needed, no personal data.
struct OperationsController {
    let database: Database
    let migrator: Migrator
    let metrics: PrometheusExporter
    let openAPIDocument: Data
    let readiness: ReadinessCheck
    let ruleSetDigest: String

    init(database: Database, migrator: Migrator, metrics: PrometheusExporter, openAPIDocument: Data, ruleSetDigest: String) {
        self.ruleSetDigest = ruleSetDigest
        self.database = database
        self.migrator = migrator
        self.metrics = metrics
        self.openAPIDocument = openAPIDocument
        self.readiness = ReadinessCheck { try await migrator.isCurrent(client: database.client, logger: database.logger) }
    }

    struct Health: ResponseEncodable {
        let status: String
        let checks: [String: String]?
        /// SHA-256 of the rule files this replica decides by (`/readyz` only): replicas must show the same.
        var rule_set_digest: String? = nil
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok", checks: nil) }
        router.get("readyz", use: ready)
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
        }
    }

    func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let status = await readiness.status()
        let checks = [
            "database": status == .unreachable ? "unreachable" : "ok",
            "migrations": status == .unreachable ? nil : status == .ready ? "ok" : "pending",
        ].compactMapValues { $0 }
        var response = try context.responseEncoder.encode(
            Health(status: status == .ready ? "ok" : "unavailable", checks: checks, rule_set_digest: ruleSetDigest), from: request, context: context)
        response.status = status == .ready ? .ok : .serviceUnavailable
        return response
    }
}
