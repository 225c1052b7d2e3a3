import Foundation
import HTTPTypes
import Testing

@Suite("Event ingest")
struct EventsTests {
    static let admitted = #"{"episode_id": "e1", "admission": "acute", "actor": "nsh"}"#

    /// Actors for event tests: hospital nsh, psychiatry psyk, prison kf, municipalities hillerod (219) and
    /// esbjerg (561), caseworker keys, and integration keys: nsh's (widened to every event type, for tests where one
    /// system reports what several would) and the prison's and the psychiatry's own.
    static func setUp(_ api: TestAPI) async throws -> (
        integration: String, hospital: String, kommune: String, prison: String, esbjerg: String, prisonIntegration: String,
        psychiatryIntegration: String
    ) {
        try await api.createActor("nsh", kind: "hospital", code: nil)
        try await api.createActor("psyk", kind: "psychiatry", code: nil)
        try await api.createActor("kf", kind: "prison", code: nil)
        try await api.createActor("hillerod", code: "219")
        try await api.createActor("esbjerg", code: "561")
        return (
            try await api.issueKey("nsh", role: "integration", eventTypes: TestAPI.allEventTypes), try await api.issueKey("nsh"), try await api.issueKey("hillerod"),
            try await api.issueKey("kf"), try await api.issueKey("esbjerg"), try await api.issueKey("kf", role: "integration"),
            try await api.issueKey("psyk", role: "integration")
        )
    }

    @Test("(source, id) is the idempotency key: 201, then 200 with the original result, 409 for another body")
    func idempotency() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let first = try await api.postEvent(key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted)
            #expect(first.status == .created, "\(first.text)")
            let effects = try #require(first.json["effects"] as? [[String: Any]])
            #expect(effects.first?["effect"] as? String == "open_case")
            #expect(effects.first?["status"] as? String == "applied")
            // Same event, spelled differently (ten-digit CPR, other offset): a replay.
            let again = try await api.postEvent(
                key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T11:00:00+01:00", cpr: "0101501234", attributes: Self.admitted)
            #expect(again.status == .ok)
            #expect(again["event_id"] == first["event_id"])
            #expect((again.json["effects"] as? [Any])?.count == effects.count)
            let conflicting = try await api.postEvent(
                key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:05:00Z", attributes: Self.admitted)
            #expect(conflicting.status == .conflict)
            // Another source may use the same id.
            #expect(try await api.postEvent(
                key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted, source: "other").status == .created)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == "2")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM cases") == "1")
        }
    }

    enum ConcurrentPost: Sendable { case original, duplicate, conflicting, unknownActor, sameCitizen }

    @Test("concurrent single posts are written together yet each gets its own answer")
    func concurrentSinglePosts() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let posts: [(kind: ConcurrentPost, index: Int)] =
                (0..<12).flatMap { [(.original, $0), (.duplicate, $0), (.conflicting, $0)] } + (0..<8).map { (.unknownActor, $0) }
                + (0..<8).map { (.sameCitizen, $0) }
            let answers = try await Self.sendAll(posts.shuffled(), key: keys.integration, to: api)
            // Of the three posts of one key exactly one was first (201); the same body replays (200), the other
            // body conflicts (409), whichever order they arrived in.
            for index in 0..<12 {
                let statuses = answers.filter { $0.1 == index && [.original, .duplicate, .conflicting].contains($0.0) }.map(\.2).sorted()
                #expect(statuses == [200, 201, 409] || statuses == [201, 409, 409], "key c\(index): \(statuses)")
            }
            #expect(answers.filter { $0.0 == .unknownActor }.allSatisfy { $0.2 == 403 })
            #expect(answers.filter { $0.0 == .sameCitizen }.allSatisfy { $0.2 == 201 })
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == "20")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log WHERE action = 'event.ingest'") == "20")
            // The citizen with eight admissions has one case (the rules reuse the open one), not eight.
            #expect(try await TestSQL.scalar(api, "SELECT count(DISTINCT citizen_id)::text FROM cases") == "13")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM cases") == "13")
        }
    }

    /// Posts all at once; answers each post's kind, index and status code.
    static func sendAll(_ posts: [(kind: ConcurrentPost, index: Int)], key: String, to api: TestAPI) async throws -> [(ConcurrentPost, Int, Int)] {
        try await withThrowingTaskGroup(of: (ConcurrentPost, Int, Int).self) { group in
            for (kind, index) in posts {
                group.addTask { (kind, index, try await send(kind, index: index, key: key, to: api)) }
            }
            var answers: [(ConcurrentPost, Int, Int)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
    }

    /// Posts one event of the concurrent test and answers its status code.
    static func send(_ kind: ConcurrentPost, index: Int, key: String, to api: TestAPI) async throws -> Int {
        switch kind {
        case .original, .duplicate:
            return try await api.postEvent(
                key: key, id: "c\(index)", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", cpr: "010150-10\(10 + index)", attributes: admitted
            ).status.code
        case .conflicting:
            return try await api.postEvent(
                key: key, id: "c\(index)", type: "hospital.admitted", at: "2026-03-01T12:00:00Z", cpr: "010150-10\(10 + index)", attributes: admitted
            ).status.code
        case .unknownActor:
            return try await api.postEvent(
                key: key, id: "u\(index)", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", cpr: "010150-11\(10 + index)",
                attributes: #"{"episode_id": "e1", "admission": "acute", "actor": "nowhere"}"#
            ).status.code
        case .sameCitizen:
            return try await api.postEvent(
                key: key, id: "s\(index)", type: "hospital.admitted", at: "2026-03-0\(index + 1)T10:00:00Z", cpr: "010150-1299",
                attributes: #"{"episode_id": "s\#(index)", "admission": "acute", "actor": "nsh"}"#
            ).status.code
        }
    }

    @Test("strict validation: field-level 422s, unknown type 422, wrong role 403, nothing written")
    func validation() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let cases: [(String, [String])] = [
                (#"{"source": "epj", "id": "x", "type": "hospital.exploded", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {}}"#, ["type"]),
                (#"{"source": "epj", "id": "x", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"admission": "urgent", "actor": "nsh"}}"#,
                 ["attributes.episode_id", "attributes.admission"]),
                (#"{"source": "epj", "id": "x", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"episode_id": 7, "admission": "acute", "actor": "nsh"}}"#,
                 ["attributes.episode_id"]),
                (#"{"source": "epj", "id": "x", "type": "citizen.died", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"cause": "x"}}"#,
                 ["attributes.cause"]),
                (#"{"source": "epj", "id": "x", "type": "citizen.died", "occurred_at": "2099-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {}}"#, ["occurred_at"]),
                (#"{"source": "epj", "id": "x", "type": "citizen.died", "occurred_at": "yesterday", "cpr": "010150-1234", "attributes": {}}"#, ["occurred_at"]),
                (#"{"source": "epj", "id": "x", "type": "citizen.died", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "310250-1234", "attributes": {}}"#, ["cpr"]),
                (#"{"id": "x", "type": "citizen.died", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234"}"#, ["source", "attributes"]),
            ]
            // An integration speaks only for its own actor: naming another (known or not) is refused, not invalid.
            for other in ["nobody", "kf"] {
                let body = #"{"source": "epj", "id": "x", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"episode_id": "1", "admission": "acute", "actor": "\#(other)"}}"#
                let response = try await api.call(.post, "/v1/events", key: keys.integration, json: body)
                #expect(response.status == .forbidden, "\(body): \(response.text)")
                #expect(response.fieldErrors == ["attributes.actor"])
                #expect(response["type"] == "urn:indgang:problem:event-not-granted")
            }
            for (body, fields) in cases {
                let response = try await api.call(.post, "/v1/events", key: keys.integration, json: body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(response.fieldErrors == fields, "\(body)")
            }
            #expect(try await api.call(.post, "/v1/events", key: keys.integration, json: "{oops").status == .badRequest)
            // A key given twice is ambiguous (RFC 8259 leaves its meaning open): refused, never one of them picked.
            for twice in [
                #"{"source": "epj", "id": "x", "id": "y", "type": "citizen.died", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {}}"#,
                #"{"source": "epj", "id": "x", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"episode_id": "1", "admission": "acute", "actor": "nsh", "actor": "kf"}}"#,
            ] {
                let response = try await api.call(.post, "/v1/events", key: keys.integration, json: twice)
                #expect(response.status == .badRequest, "\(twice): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.text.contains("at byte"), "\(response.text)")
            }
            for (body, field) in [(#"[]"#, "body"), (#"{"source": 7}"#, "source"), (#"{"attributes": []}"#, "attributes")] {
                let response = try await api.call(.post, "/v1/events", key: keys.integration, json: body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(response.fieldErrors == [field], "\(body)")
            }
            #expect(try await api.call(.post, "/v1/events", key: keys.hospital, json: "{oops").status == .forbidden)
            #expect(try await api.call(.post, "/v1/events?dry_run=maybe", key: keys.integration, json: "{}").fieldErrors == ["dry_run"])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == "0")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM citizens") == "0")
        }
    }

    @Test("NDJSON batch: bad lines are rejected by 1-based line number, the others are ingested")
    func batch() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            _ = try await api.postEvent(key: keys.integration, id: "b0", type: "citizen.moved", at: "2026-01-01T10:00:00Z", attributes: #"{"municipality_code": "219"}"#)
            let lines = [
                #"{"source": "epj", "id": "b1", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"episode_id": "1", "admission": "acute", "actor": "nsh"}}"#,
                #"{"source": "epj", "id": "b2", "type": "hospital.admitted", "occurred_at": "2026-03-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"admission": "acute"}}"#,
                #"not json"#,
                "",
                #"{"source": "epj", "id": "b0", "type": "citizen.moved", "occurred_at": "2026-01-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"municipality_code": "219"}}"#,
                #"{"source": "epj", "id": "b0", "type": "citizen.moved", "occurred_at": "2026-01-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"municipality_code": "561"}}"#,
                #"{"source": "epj", "id": "b3", "type": "hospital.discharged", "occurred_at": "2026-03-04T10:00:00Z", "cpr": "010150-1234", "attributes": {"episode_id": "1", "discharged_to": "home", "actor": "nsh"}}"#,
            ]
            let response = try await api.call(
                .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"],
                rawBody: Data((lines.joined(separator: "\n") + "\n").utf8))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["accepted"] as? Int == 2)
            #expect(response.json["replayed"] as? Int == 1)
            let rejected = try #require(response.json["rejected"] as? [[String: Any]])
            #expect(rejected.compactMap { $0["line"] as? Int } == [2, 3, 6])
            let problems = rejected.compactMap { $0["problem"] as? [String: Any] }
            #expect(problems.compactMap { $0["status"] as? Int } == [422, 400, 409])
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs") == "1")
            #expect(try await api.call(.post, "/v1/events/batch", key: keys.integration, json: "{}").status == .unsupportedMediaType)
        }
    }

    @Test("ids that differ only in Unicode normalisation are two ids, as PostgreSQL keys them, also in one batch")
    func idsAreBytes() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let lines = [("caf\u{E9}", "219"), ("cafe\u{301}", "561")].map { id, code in
                #"{"source": "epj", "id": "\#(id)", "type": "citizen.moved", "occurred_at": "2026-01-01T10:00:00Z", "cpr": "010150-1234", "attributes": {"municipality_code": "\#(code)"}}"#
            }
            let body = Data((lines.joined(separator: "\n") + "\n").utf8)
            for (accepted, replayed) in [(2, 0), (0, 2)] {
                let response = try await api.call(
                    .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"], rawBody: body)
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.json["accepted"] as? Int == accepted, "\(response.text)")
                #expect(response.json["replayed"] as? Int == replayed, "\(response.text)")
            }
            #expect(try await TestSQL.scalar(api, "SELECT count(DISTINCT external_id)::text FROM events") == "2")
        }
    }

    @Test("dry run answers the effects and writes nothing")
    func dryRun() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let response = try await api.postEvent(
                key: keys.integration, id: "d1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted, query: "?dry_run=true")
            #expect(response.status == .ok)
            #expect(response.json["dry_run"] as? Bool == true)
            #expect((response.json["effects"] as? [[String: Any]])?.first?["effect"] as? String == "open_case")
            for table in ["events", "cases", "citizens", "case_timeline"] {
                #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM \(table)") == "0", "\(table)")
            }
            #expect(try await TestSQL.scalar(api, "SELECT action FROM audit_log") == "event.dry_run")
            // The real post afterwards is a first post (201), not a replay.
            #expect(try await api.postEvent(key: keys.integration, id: "d1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: Self.admitted).status == .created)
        }
    }
}
