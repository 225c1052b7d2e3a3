import Foundation
import HTTPTypes
import Testing

@Suite("Cases")
struct CasesTests {
    @Test("opening a case: 201 with ETag and Location; the caller's actor is responsible")
    func open() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let response = try await api.call(
                .post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "0101501234", "pathway": "subacute-elderly", "summary": "fall", "external_ref": "EPJ-1"}"#)
            #expect(response.status == .created)
            #expect(response.headers[.eTag] == "\"1\"")
            let id = try #require(response["id"])
            #expect(response.headers[.location] == "/v1/cases/\(id)")
            #expect(response["responsible_actor"] == "nsh")
            #expect(response["status"] == "open")
            #expect(response["pathway"] == "subacute-elderly")
            #expect(response["external_ref"] == "EPJ-1")
            #expect(response.json["version"] as? Int == 1)
            #expect(response.json["flags"] as? [Any] != nil)
            #expect(id == id.lowercased())

            let fetched = try await api.call(.get, "/v1/cases/\(id)", key: keys.hospital)
            #expect(fetched.status == .ok)
            #expect(fetched["summary"] == "fall")
            #expect(fetched.headers[.eTag] == "\"1\"")
        }
    }

    @Test("one entry: a second open case is 409; the holder's id only for a caller who sees it, otherwise the holder is asked to make contact")
    func duplicate() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let first = try await api.openCase(key: keys.hospital, cpr: "010150-1234")
            // The holder itself sees which case it is.
            let own = try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "0101501234", "pathway": "subacute-elderly"}"#)
            #expect(own.status == .conflict && own["existing_case_id"] == first && own.json["contact_requested"] == nil)
            // Another actor learns neither the case nor who holds it; the holder is asked to make contact (once while unread).
            for _ in 0..<2 {
                let second = try await api.call(.post, "/v1/cases", key: keys.kommune, json: #"{"cpr": "0101501234", "pathway": "subacute-elderly"}"#)
                #expect(second.status == .conflict)
                #expect(second.json["existing_case_id"] == nil && second.json["contact_requested"] as? Bool == true, "\(second.text)")
                #expect(!second.text.contains(first) && !second.text.contains("nsh"))
            }
            let inbox = try await api.call(.get, "/v1/notifications", key: keys.hospital)
            let requests = inbox.items.filter { $0["kind"] as? String == "case.contact_requested" }
            #expect(requests.count == 1 && requests.first?["case_id"] as? String == first)
            #expect((requests.first?["data"] as? [String: Any])?["requesting_actor"] as? String == "kobenhavn")
            // Both refusals are in the citizen's audit log.
            let citizen = try #require(try await api.call(.get, "/v1/cases/\(first)", key: keys.hospital)["citizen_id"])
            let audit = try await api.call(.get, "/v1/audit?citizen_id=\(citizen)", key: TestAPI.adminKey)
            #expect(audit.items.filter { $0["action"] as? String == "case.duplicate_refused" }.count == 3)
            // Another pathway is another case; after closing, a new case may be opened.
            _ = try await api.openCase(key: keys.prison, cpr: "010150-1234", pathway: "reentry-youth")
            let closed = try await api.call(.post, "/v1/cases/\(first)/close", key: keys.hospital, json: #"{"outcome": "completed"}"#)
            #expect(closed.status == .ok)
            #expect(closed["status"] == "closed")
            #expect(closed["outcome"] == "completed")
            _ = try await api.openCase(key: keys.kommune, cpr: "010150-1234")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM citizens") == "1")
        }
    }

    @Test("concurrent opens for one citizen create exactly one case")
    func concurrentOpen() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "050560-1111", "pathway": "subacute-elderly"}"#).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 11, "\(statuses)")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM cases") == "1")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM citizens") == "1")
        }
    }

    @Test("bad input: a clear 4xx naming the field, and nothing written")
    func badInput() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let cases: [(String?, HTTPFields, Int, [String])] = [
                (#"{"cpr": "320150-1234", "pathway": "subacute-elderly"}"#, [:], 422, ["cpr"]),
                (#"{"cpr": "abc", "pathway": "nowhere"}"#, [:], 422, ["cpr", "pathway"]),
                (#"{"cpr": 101501234, "pathway": "subacute-elderly"}"#, [:], 422, ["cpr"]),
                (#"{"pathway": "subacute-elderly"}"#, [:], 422, ["cpr"]),
                (#"{"cpr": "010150-1234", "pathway": "subacute-elderly", "summary": 5}"#, [:], 422, ["summary"]),
                (#"{"cpr": "010150-1234", "pathway": null}"#, [:], 422, ["pathway"]),
                (#"[1, 2]"#, [:], 422, ["body"]),
                (#"{"cpr": "010150-1234", "#, [:], 400, []),
                ("", [:], 400, []),
                (#"{"cpr": "010150-1234", "pathway": "subacute-elderly"}"#, [.contentType: "text/plain"], 415, []),
            ]
            for (body, headers, status, fields) in cases {
                let response = try await api.call(.post, "/v1/cases", key: keys.hospital, json: body, headers: headers)
                #expect(response.status.code == status, "\(body ?? "nil"): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.fieldErrors == fields, "\(body ?? "nil")")
                #expect(response.json["detail"] as? String != nil)
            }
            let huge = #"{"cpr": "010150-1234", "pathway": "subacute-elderly", "summary": ""# + String(repeating: "x", count: 1 << 20) + #""}"#
            #expect(try await api.call(.post, "/v1/cases", key: keys.hospital, json: huge).status == .contentTooLarge)
            let long = #"{"cpr": "010150-1234", "pathway": "subacute-elderly", "summary": ""# + String(repeating: "x", count: 10_001) + #""}"#
            #expect(try await api.call(.post, "/v1/cases", key: keys.hospital, json: long).fieldErrors == ["summary"])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM cases") == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM citizens") == "0")
        }
    }

    @Test("PATCH needs If-Match: missing 428, stale 412, current 200 with a new ETag")
    func optimisticConcurrency() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let id = try await api.openCase(key: keys.hospital)
            let path = "/v1/cases/\(id)"
            #expect(try await api.call(.patch, path, key: keys.hospital, json: #"{"summary": "a"}"#).status == .preconditionRequired)
            #expect(try await api.call(.patch, path, key: keys.hospital, json: #"{"summary": "a"}"#, headers: [.ifMatch: "\"7\""]).status == .preconditionFailed)
            let updated = try await api.call(.patch, path, key: keys.hospital, json: #"{"summary": "a"}"#, headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
            #expect(updated["summary"] == "a")
            // The old ETag is stale now.
            #expect(try await api.call(.patch, path, key: keys.hospital, json: #"{"summary": "b"}"#, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await api.call(.patch, path, key: keys.hospital, json: #"{"summary": 3}"#, headers: [.ifMatch: "\"2\""]).fieldErrors == ["summary"])
            // A handoff request changes the case's representation, so its version moves too.
            _ = try await api.requestHandoff(caseID: id, key: keys.hospital, to: "kobenhavn")
            let fetched = try await api.call(.get, path, key: keys.hospital)
            #expect(fetched.headers[.eTag] == "\"3\"")
            #expect((fetched.json["pending_handoff"] as? [String: Any])?["to_actor"] as? String == "kobenhavn")
        }
    }

    @Test("lists are cursor-paged newest first and filterable")
    func listing() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            var ids: [String] = []
            for (index, cpr) in ["010150-1001", "010150-1002", "010150-1003", "010150-1004", "010150-1005"].enumerated() {
                ids.append(try await api.openCase(key: keys.hospital, cpr: cpr, pathway: index == 4 ? "reentry-youth" : "subacute-elderly"))
            }
            let first = try await api.call(.get, "/v1/cases?limit=2", key: keys.hospital)
            #expect(first.items.compactMap { $0["id"] as? String } == [ids[4], ids[3]])
            let cursor = try #require(first["next_cursor"])
            let second = try await api.call(.get, "/v1/cases?limit=2&cursor=\(cursor)", key: keys.hospital)
            #expect(second.items.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
            let third = try await api.call(.get, "/v1/cases?limit=2&cursor=\(try #require(second["next_cursor"]))", key: keys.hospital)
            #expect(third.items.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(third.json["next_cursor"] is NSNull)

            #expect(try await api.call(.get, "/v1/cases?pathway=reentry-youth", key: keys.hospital).items.count == 1)
            _ = try await api.call(.post, "/v1/cases/\(ids[0])/close", key: keys.hospital, json: #"{"outcome": "moved"}"#)
            #expect(try await api.call(.get, "/v1/cases?status=closed", key: keys.hospital).items.count == 1)
            #expect(try await api.call(.get, "/v1/cases?status=open&responsible=me", key: keys.hospital).items.count == 4)
            #expect(try await api.call(.get, "/v1/cases?responsible=nsh", key: keys.hospital).items.count == 5)
            #expect(try await api.call(.get, "/v1/cases", key: keys.kommune).items.isEmpty)

            for bad in ["limit=0", "limit=501", "limit=x", "status=maybe", "pathway=x", "cursor=%%%", "responsible=nobody"] {
                let response = try await api.call(.get, "/v1/cases?\(bad)", key: keys.hospital)
                #expect(response.status == .unprocessableContent, "\(bad)")
                #expect(response.fieldErrors.count == 1, "\(bad)")
            }
        }
    }

    @Test("closing: responsible actor only, cancels a pending handoff, and is final")
    func closing() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let id = try await api.openCase(key: keys.hospital)
            let handoff = try await api.requestHandoff(caseID: id, key: keys.hospital, to: "kobenhavn")
            // The receiver sees the case but may not close it.
            #expect(try await api.call(.post, "/v1/cases/\(id)/close", key: keys.kommune, json: #"{"outcome": "completed"}"#).status == .forbidden)
            #expect(try await api.call(.post, "/v1/cases/\(id)/close", key: keys.hospital, json: #"{"outcome": "finished"}"#).fieldErrors == ["outcome"])
            let closed = try await api.call(.post, "/v1/cases/\(id)/close", key: keys.hospital, json: #"{"outcome": "deceased", "note": "n"}"#)
            #expect(closed.status == .ok)
            #expect(closed.json["closed_at"] as? String != nil)
            #expect(closed.json["pending_handoff"] == nil)
            #expect(try await TestSQL.scalar(api, "SELECT status FROM handoffs WHERE id = '\(handoff)'") == "cancelled")
            #expect(try await api.call(.post, "/v1/cases/\(id)/close", key: keys.hospital, json: #"{"outcome": "completed"}"#).status == .conflict)
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.kommune).status.code >= 400)
            let timeline = try await api.call(.get, "/v1/cases/\(id)/timeline", key: keys.hospital)
            #expect(timeline.items.compactMap { $0["kind"] as? String } == ["opened", "handoff_requested", "handoff_cancelled", "closed"])
            // The receiver of the cancelled handoff was never responsible: the case is gone from its view.
            #expect(try await api.call(.get, "/v1/cases/\(id)", key: keys.kommune).status == .notFound)
        }
    }

    @Test("the timeline is append-only, even for the database owner")
    func appendOnlyTimeline() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            _ = try await api.openCase(key: keys.hospital)
            await #expect(throws: (any Error).self) { try await api.sql("UPDATE case_timeline SET kind = 'note'") }
            await #expect(throws: (any Error).self) { try await api.sql("DELETE FROM audit_log") }
            await #expect(throws: (any Error).self) { try await api.sql("DELETE FROM cases") }
        }
    }
}
