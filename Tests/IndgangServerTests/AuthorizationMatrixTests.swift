import Foundation
import HTTPTypes
import Testing

/// Every route × every role: the right roles get past authorisation, the others get 403, no key gets 401.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    struct Route: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let allowed: Set<String>
        var description: String { "\(method) \(path)" }
    }

    static let someID = "01936f3e-0000-7000-8000-000000000000"
    static let routes: [Route] = [
        Route(method: .post, path: "/v1/actors", body: #"{"slug": "x1", "name": "X", "kind": "other"}"#, allowed: ["admin"]),
        Route(method: .get, path: "/v1/actors", body: nil, allowed: ["admin", "caseworker", "coordinator", "integration"]),
        Route(method: .post, path: "/v1/actors/kobenhavn/keys", body: #"{"role": "caseworker"}"#, allowed: ["admin"]),
        Route(method: .delete, path: "/v1/keys/\(someID)", body: nil, allowed: ["admin"]),
        Route(method: .post, path: "/v1/citizens/search", body: #"{"cpr": "010150-1234"}"#, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/cases", body: #"{"cpr": "020250-1234", "pathway": "reentry-youth"}"#, allowed: ["caseworker"]),
        Route(method: .get, path: "/v1/cases", body: nil, allowed: ["caseworker"]),
        Route(method: .get, path: "/v1/cases/\(someID)", body: nil, allowed: ["caseworker"]),
        Route(method: .patch, path: "/v1/cases/\(someID)", body: #"{"summary": "x"}"#, allowed: ["caseworker"]),
        Route(method: .get, path: "/v1/cases/\(someID)/timeline", body: nil, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/cases/\(someID)/close", body: #"{"outcome": "completed"}"#, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/cases/\(someID)/handoffs", body: #"{"to_actor": "nsh", "reason": "r"}"#, allowed: ["caseworker"]),
        Route(method: .get, path: "/v1/handoffs", body: nil, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/handoffs/\(someID)/accept", body: nil, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/handoffs/\(someID)/reject", body: #"{"reason": "no"}"#, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/handoffs/\(someID)/cancel", body: nil, allowed: ["caseworker"]),
        Route(method: .get, path: "/v1/audit?citizen_id=\(someID)", body: nil, allowed: ["admin"]),
        Route(
            method: .post, path: "/v1/events",
            body: #"{"source": "s", "id": "1", "type": "citizen.died", "occurred_at": "2026-01-01T00:00:00Z", "cpr": "010150-1234", "attributes": {}}"#,
            allowed: ["integration"]),
        Route(method: .post, path: "/v1/events/batch", body: nil, allowed: ["integration"]),
        Route(method: .get, path: "/v1/notifications", body: nil, allowed: ["caseworker"]),
        Route(method: .post, path: "/v1/notifications/\(someID)/read", body: nil, allowed: ["caseworker"]),
    ]

    @Test("each role reaches exactly the routes API.md grants it")
    func matrix() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            try await api.createActor("nsh", kind: "hospital", code: nil)
            var keys: [String: String] = ["admin": TestAPI.adminKey]
            for role in ["caseworker", "coordinator", "integration"] {
                keys[role] = try await api.issueKey("kobenhavn", role: role)
            }
            keys["admin-key"] = try await api.issueKey("kobenhavn", role: "admin")
            for route in Self.routes {
                let anonymous = try await api.call(route.method, route.path, json: route.body)
                #expect(anonymous.status == .unauthorized, "\(route) without a key")
                for (name, key) in keys {
                    let role = name == "admin-key" ? "admin" : name
                    let response = try await api.call(route.method, route.path, key: key, json: route.body)
                    if route.allowed.contains(role) {
                        #expect(response.status != .forbidden && response.status != .unauthorized, "\(route) as \(name): \(response.text)")
                        #expect(response.status.code < 500, "\(route) as \(name): \(response.text)")
                    } else {
                        #expect(response.status == .forbidden, "\(route) as \(name) should be 403, was \(response.status.code)")
                    }
                }
            }
        }
    }

    @Test("the role is checked before the body: wrong role with a bad body is still 403")
    func roleBeforeBody() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            let coordinator = try await api.issueKey("kobenhavn", role: "coordinator")
            let response = try await api.call(.post, "/v1/cases", key: coordinator, json: "{not json")
            #expect(response.status == .forbidden)
        }
    }
}
