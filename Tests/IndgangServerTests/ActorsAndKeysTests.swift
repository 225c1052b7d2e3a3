import Foundation
import HTTPTypes
import Testing

@Suite("Actors and API keys")
struct ActorsAndKeysTests {
    @Test("admin creates actors; duplicates conflict; bad fields are named")
    func createActors() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            let duplicate = try await api.call(
                .post, "/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "kobenhavn", "name": "Again", "kind": "municipality", "municipality_code": "101"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.headers[.contentType] == "application/problem+json")

            let invalid = try await api.call(.post, "/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "Bad Slug", "kind": "castle"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.fieldErrors) == ["slug", "name", "kind"])

            let noCode = try await api.call(.post, "/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "esbjerg", "name": "Esbjerg", "kind": "municipality"}"#)
            #expect(noCode.fieldErrors == ["municipality_code"])
            let badCode = try await api.call(
                .post, "/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "esbjerg", "name": "Esbjerg", "kind": "municipality", "municipality_code": 561}"#)
            #expect(badCode.status == .unprocessableContent)
            #expect(badCode.fieldErrors == ["municipality_code"])

            let caseworker = try await api.issueKey("kobenhavn")
            let list = try await api.call(.get, "/v1/actors", key: caseworker)
            #expect(list.status == .ok)
            #expect(list.items.map { $0["slug"] as? String } == ["kobenhavn"])
            #expect(list.items.first?["municipality_code"] as? String == "101")
            #expect(list.json.keys.contains("next_cursor"))
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM actors") == "1")
        }
    }

    @Test("keys are shown once, stored hashed, and stop working at once when revoked")
    func keyLifecycle() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            let issued = try await api.call(.post, "/v1/actors/kobenhavn/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker", "label": "desk"}"#)
            #expect(issued.status == .created)
            let key = try #require(issued["key"])
            #expect(key.hasPrefix("igk_") && key.count >= 4 + 43)
            #expect(issued["actor"] == "kobenhavn")
            #expect(issued["role"] == "caseworker")
            let stored = try await api.sql("SELECT encode(key_hash, 'hex') FROM api_keys")
            #expect(stored.count == 1 && !(stored[0][0] ?? "").contains(key))

            #expect(try await api.call(.get, "/v1/cases", key: key).status == .ok)
            let keyID = try #require(issued["id"])
            let revoked = try await api.call(.delete, "/v1/keys/\(keyID)", key: TestAPI.adminKey)
            #expect(revoked.status == .ok && (revoked.json["subscriptions"] as? [Any])?.isEmpty == true, "\(revoked.text)")
            #expect(try await api.call(.get, "/v1/cases", key: key).status == .unauthorized)
            #expect(try await api.call(.delete, "/v1/keys/\(keyID)", key: TestAPI.adminKey).status == .notFound)

            let unknownActor = try await api.call(.post, "/v1/actors/nowhere/keys", key: TestAPI.adminKey, json: #"{"role": "caseworker"}"#)
            #expect(unknownActor.status == .notFound)
            let badRole = try await api.call(.post, "/v1/actors/kobenhavn/keys", key: TestAPI.adminKey, json: #"{"role": "superuser"}"#)
            #expect(badRole.fieldErrors == ["role"])
        }
    }

    @Test("a key revoked elsewhere (another replica, SQL) stops working as soon as the change is announced")
    func revokedElsewhere() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn")
            let key = try await api.issueKey("kobenhavn")
            // Used twice, so the second request is answered from the cache, if the cache is listening yet.
            #expect(try await api.call(.get, "/v1/cases", key: key).status == .ok)
            #expect(try await api.call(.get, "/v1/cases", key: key).status == .ok)
            _ = try await api.sql("UPDATE api_keys SET revoked_at = now()")
            var status = HTTPResponse.Status.ok
            for _ in 0..<100 where status != .unauthorized {
                status = try await api.call(.get, "/v1/cases", key: key).status
                if status != .unauthorized { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(status == .unauthorized)
        }
    }

    @Test("missing or unknown keys are 401 with a problem document")
    func unauthenticated() async throws {
        try await TestAPI.run { api in
            let missing = try await api.call(.get, "/v1/actors")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(missing.json["type"] as? String == "urn:indgang:problem:unauthenticated")
            #expect(try await api.call(.get, "/v1/actors", key: "igk_unknown").status == .unauthorized)
            #expect(try await api.call(.get, "/v1/actors", headers: [.authorization: "Basic abc"]).status == .unauthorized)
        }
    }
}
