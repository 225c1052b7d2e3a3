import Foundation
import HTTPTypes
import Testing

@Suite("Operations endpoints")
struct OperationsTests {
    @Test("health, readiness, metrics by route template, and the OpenAPI document need no key")
    func operations() async throws {
        try await TestAPI.run { api in
            #expect(try await api.call(.get, "/healthz").status == .ok)
            let ready = try await api.call(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect((ready.json["checks"] as? [String: Any])?["migrations"] as? String == "ok")

            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            _ = try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital)
            _ = try await api.call(.get, "/v1/nothing-here", key: keys.hospital)
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"http_route="/v1/cases/{id}""#))
            #expect(!metrics.text.contains(caseID))
            #expect(metrics.text.range(of: #"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}"#, options: .regularExpression) == nil)

            let openapi = try await api.call(.get, "/openapi.yaml")
            #expect(openapi.status == .ok)
            #expect(openapi.text.hasPrefix("openapi: 3.1"))
            for path in [
                "/v1/actors:", "/v1/actors/{slug}/keys:", "/v1/keys/{id}:", "/v1/citizens/search:", "/v1/cases:", "/v1/cases/{id}:",
                "/v1/cases/{id}/timeline:", "/v1/cases/{id}/close:", "/v1/cases/{id}/handoffs:", "/v1/handoffs:", "/v1/handoffs/{id}/accept:",
                "/v1/handoffs/{id}/reject:", "/v1/handoffs/{id}/cancel:", "/v1/audit:", "/v1/events:", "/v1/events/batch:", "/v1/notifications:",
                "/v1/notifications/{id}/read:", "/healthz:", "/readyz:", "/metrics:", "/openapi.yaml:",
            ] {
                #expect(openapi.text.contains(path), "openapi.yaml lacks \(path)")
            }
        }
    }

    @Test("unknown routes and methods answer problem+json, never 500")
    func unknownRoutes() async throws {
        try await TestAPI.run { api in
            let response = try await api.call(.get, "/nothing")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[HTTPField.Name("X-Request-ID")!] != nil)
        }
    }
}
