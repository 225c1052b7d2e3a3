import Foundation
import HTTPTypes
import IndgangCore
import IndgangStore
import Testing

/// `event.retracted` and `event.corrected` (API.md, Event authority; issue 14).
@Suite("Retraction and correction")
struct RetractionTests {
    typealias Keys = (
        integration: String, hospital: String, kommune: String, prison: String, esbjerg: String, prisonIntegration: String, psychiatryIntegration: String
    )

    static func hoursAgo(_ hours: Double) -> String { RFC3339.format(Date().addingTimeInterval(-hours * 3600)) }
    /// When the senders found their mistakes: one time, so a resent retraction is the same body.
    static let found = hoursAgo(1)

    /// A 78-year-old in Hillerød: admitted acutely 5 days ago (`a<suffix>`), discharged home 8 hours ago (`d<suffix>`).
    static func admitAndDischarge(_ api: TestAPI, _ keys: Keys, suffix: String, cpr: String, discharge: Bool = true) async throws {
        try await post(api, keys.integration, id: "m\(suffix)", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, #"{"municipality_code": "219"}"#)
        try await post(api, keys.integration, id: "a\(suffix)", type: "hospital.admitted", at: hoursAgo(120), cpr: cpr,
                       #"{"episode_id": "e\#(suffix)", "admission": "acute", "actor": "nsh"}"#)
        if discharge {
            try await post(api, keys.integration, id: "d\(suffix)", type: "hospital.discharged", at: hoursAgo(8), cpr: cpr,
                           #"{"episode_id": "e\#(suffix)", "discharged_to": "home", "actor": "nsh"}"#)
        }
    }

    static func post(_ api: TestAPI, _ key: String, id: String, type: String, at: String, cpr: String, _ attributes: String) async throws {
        let response = try await api.postEvent(key: key, id: id, type: type, at: at, cpr: cpr, attributes: attributes)
        #expect(response.status == .created, "\(id): \(response.text)")
    }

    static func retract(_ api: TestAPI, _ key: String, id: String, target: String, cpr: String, source: String = "epj") async throws -> APIResponse {
        try await api.postEvent(
            key: key, id: id, type: "event.retracted", at: found, cpr: cpr, attributes: #"{"source": "\#(source)", "id": "\#(target)"}"#,
            source: "epj-fix")
    }

    static func correct(_ api: TestAPI, _ key: String, id: String, target: String, cpr: String, at: String = hoursAgo(1), _ changes: String) async throws -> APIResponse {
        try await api.postEvent(
            key: key, id: id, type: "event.corrected", at: at, cpr: cpr, attributes: #"{"source": "epj", "id": "\#(target)", \#(changes)}"#,
            source: "epj-fix")
    }

    static func effects(_ response: APIResponse) -> [String] {
        ((response.json["effects"] as? [[String: Any]]) ?? []).map { "\($0["effect"] as? String ?? "") \($0["status"] as? String ?? "")" }
    }

    @Test("a retracted discharge cancels its pending handoff; a retracted admission closes the case it opened as retracted")
    func retractDischargeThenAdmission() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4001"
            try await Self.admitAndDischarge(api, keys, suffix: "1", cpr: cpr)
            #expect(try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a1", timeline: false).first?.contains("nsh>hillerod pending") == true)

            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "d1", cpr: cpr)
            #expect(retraction.status == .created, "\(retraction.text)")
            #expect(Self.effects(retraction) == ["request_handoff undone"], "\(retraction.text)")
            let state = try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a1", timeline: false)
            #expect(state.count == 1 && state[0].hasPrefix("subacute-elderly open nsh") && state[0].contains("nsh>hillerod cancelled"), "\(state)")
            let cancelled = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            #expect(cancelled.items.map { $0["kind"] as? String } == ["handoff.cancelled", "handoff.requested"], "\(cancelled.text)")

            // The same retraction again, under its own key or another: 200 with the first result; nothing more stored.
            let events = try await TestSQL.scalar(api, "SELECT count(*)::text FROM events")
            for id in ["r1", "r2"] {
                let again = try await Self.retract(api, keys.integration, id: id, target: "d1", cpr: cpr)
                #expect(again.status == .ok, "\(id): \(again.text)")
                #expect(again["event_id"] == retraction["event_id"] && Self.effects(again) == Self.effects(retraction))
            }
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == events)

            // The admission opened the case and nothing else did: it closes, as retracted.
            let admission = try await Self.retract(api, keys.integration, id: "r3", target: "a1", cpr: cpr)
            #expect(Self.effects(admission) == ["open_case undone"], "\(admission.text)")
            let closed = try await api.sql("SELECT status, close_outcome FROM cases")
            #expect(closed == [["closed", "retracted"]])
            let timeline = try await api.call(.get, "/v1/cases/\(try #require(try await TestSQL.scalar(api, "SELECT id::text FROM cases")))/timeline", key: keys.hospital)
            let received = timeline.items.filter { $0["kind"] as? String == "event_received" }.compactMap { $0["data"] as? [String: Any] }
            #expect(received.filter { $0["type"] as? String == "event.retracted" }.count == 2, "\(timeline.text)")
            #expect(!timeline.text.contains(cpr) && !timeline.text.contains("0101484001"))
            // A caseworker cannot choose `retracted`: the system sets it.
            let other = try await api.openCase(key: keys.hospital, cpr: "020250-1234")
            let refused = try await api.call(.post, "/v1/cases/\(other)/close", key: keys.hospital, json: #"{"outcome": "retracted"}"#)
            #expect(refused.status == .unprocessableContent && refused.text.contains("outcome"), "\(refused.text)")
        }
    }

    @Test("refusals: an unknown or foreign event is 404, another citizen 422, a retraction cannot be retracted; nothing is stored")
    func refusals() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4002"
            try await Self.admitAndDischarge(api, keys, suffix: "2", cpr: cpr)
            let events = try await TestSQL.scalar(api, "SELECT count(*)::text FROM events")

            let unknown = try await Self.retract(api, keys.integration, id: "x1", target: "nope", cpr: cpr)
            #expect(unknown.status == .notFound, "\(unknown.text)")
            // The prison's key may retract only what the prison posted: nsh's admission is as unknown to it.
            let foreign = try await Self.retract(api, keys.prisonIntegration, id: "x2", target: "a2", cpr: cpr)
            #expect(foreign.status == .notFound, "\(foreign.text)")
            #expect(foreign["detail"] == unknown["detail"]?.replacingOccurrences(of: "nope", with: "a2"))
            let otherCitizen = try await Self.retract(api, keys.integration, id: "x3", target: "a2", cpr: "020250-1234")
            #expect(otherCitizen.status == .unprocessableContent && (otherCitizen.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "cpr")
            let first = try await Self.retract(api, keys.integration, id: "x4", target: "d2", cpr: cpr)
            #expect(first.status == .created)
            let ofRetraction = try await api.postEvent(
                key: keys.integration, id: "x5", type: "event.retracted", at: Self.hoursAgo(1), cpr: cpr,
                attributes: #"{"source": "epj-fix", "id": "x4"}"#, source: "epj-fix")
            #expect(ofRetraction.status == .unprocessableContent && ofRetraction.text.contains("attributes.id"), "\(ofRetraction.text)")
            let correctRetracted = try await Self.correct(api, keys.integration, id: "x6", target: "d2", cpr: cpr, #""occurred_at": "\#(Self.hoursAgo(9))""#)
            #expect(correctRetracted.status == .unprocessableContent, "\(correctRetracted.text)")
            let dryRun = try await api.postEvent(
                key: keys.integration, id: "x7", type: "event.retracted", at: Self.hoursAgo(1), cpr: cpr, attributes: #"{"source": "epj", "id": "a2"}"#,
                query: "?dry_run=true")
            #expect(dryRun.status == .unprocessableContent)
            let count = try await TestSQL.scalar(api, "SELECT count(*)::text FROM events")
            #expect(count == "\(Int(events!)! + 1)")
        }
    }

    @Test("an accepted handoff stands: the responsible actor is told, on the timeline and in the inbox")
    func acceptedHandoffIsKept() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4003"
            try await Self.admitAndDischarge(api, keys, suffix: "3", cpr: cpr)
            let handoff = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM handoffs"))
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.kommune).status == .ok)

            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "d3", cpr: cpr)
            #expect(Self.effects(retraction) == ["request_handoff kept"], "\(retraction.text)")
            let state = try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a3", timeline: false)
            #expect(state.first?.hasPrefix("subacute-elderly open hillerod") == true && state.first?.contains("nsh>hillerod accepted") == true, "\(state)")
            let inbox = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            let told = try #require(inbox.items.first { $0["kind"] as? String == "case.event_retracted" })
            #expect((told["data"] as? [String: String])?["effect"] == "request_handoff", "\(inbox.text)")
            let caseID = try #require(told["case_id"] as? String)
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.kommune)
            #expect(timeline.items.contains { $0["kind"] as? String == "event_retracted" }, "\(timeline.text)")

            // The admission cannot be taken back either: the municipality accepted the case, so it stays open.
            let admission = try await Self.retract(api, keys.integration, id: "r2", target: "a3", cpr: cpr)
            #expect(Self.effects(admission) == ["open_case kept"], "\(admission.text)")
            #expect(try await api.sql("SELECT status FROM cases") == [["open"]])
        }
    }

    @Test("a retracted readmission removes the flag; the case the first admission opened stays")
    func retractedReadmission() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4004"
            try await Self.post(api, keys.integration, id: "m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, #"{"municipality_code": "219"}"#)
            try await Self.post(api, keys.integration, id: "a1f", type: "hospital.admitted", at: Self.hoursAgo(24 * 20), cpr: cpr,
                                #"{"episode_id": "1", "admission": "acute", "actor": "nsh"}"#)
            try await Self.post(api, keys.integration, id: "d1f", type: "hospital.discharged", at: Self.hoursAgo(24 * 18), cpr: cpr,
                                #"{"episode_id": "1", "discharged_to": "other_hospital", "actor": "nsh"}"#)
            // For f, the second admission is a readmission (after a discharge home, corrected from a transfer), then retracted.
            let corrected = try await Self.correct(api, keys.integration, id: "c1", target: "d1f", cpr: cpr, #""attributes": {"episode_id": "1", "discharged_to": "home"}"#)
            #expect(corrected.status == .created, "\(corrected.text)")
            try await Self.post(api, keys.integration, id: "a2f", type: "hospital.admitted", at: Self.hoursAgo(24 * 10), cpr: cpr,
                                #"{"episode_id": "2", "admission": "acute", "actor": "nsh"}"#)
            #expect(try await api.sql("SELECT flags::text FROM cases c JOIN events e ON e.citizen_id = c.citizen_id WHERE e.external_id = 'a2f'") == [["{readmission}"]])
            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "a2f", cpr: cpr)
            #expect(Self.effects(retraction) == ["flag undone"], "\(retraction.text)")
            let f = try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a1f", timeline: false)
            #expect(f.first?.hasPrefix("subacute-elderly open nsh  | nsh>hillerod") == true, "\(f)")
            let told = try await api.call(.get, "/v1/notifications", key: keys.hospital)
            #expect(told.items.map { $0["kind"] as? String }.contains("case.event_retracted"), "\(told.text)")
        }
    }

    @Test("a retracted death: each case it closed stays closed and is continued by a new open case with the same responsible actor")
    func retractedDeath() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4006"
            try await Self.admitAndDischarge(api, keys, suffix: "6", cpr: cpr, discharge: false)
            try await Self.post(api, keys.integration, id: "died", type: "citizen.died", at: Self.hoursAgo(2), cpr: cpr, "{}")
            #expect(try await api.sql("SELECT status, close_outcome FROM cases") == [["closed", "deceased"]])

            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "died", cpr: cpr)
            #expect(Self.effects(retraction) == ["close_case undone"], "\(retraction.text)")
            let cases = try await api.sql("SELECT id::text, status, coalesce(close_outcome, '-') FROM cases ORDER BY id")
            #expect(cases.map { Array($0.dropFirst()) } == [["closed", "deceased"], ["open", "-"]], "\(cases)")
            let continuation = try #require(cases.last?[0])
            let timeline = try await api.call(.get, "/v1/cases/\(continuation)/timeline", key: keys.hospital)
            let opened = try #require(timeline.items.first { $0["kind"] as? String == "opened" }?["data"] as? [String: Any])
            #expect(opened["continues_case_id"] as? String == cases.first?[0], "\(timeline.text)")
            let held = try await api.call(.get, "/v1/cases/\(continuation)", key: keys.hospital)
            #expect(held.status == .ok && (held.json["responsible_actor"] as? String ?? held.text).contains("nsh"), "\(held.text)")
            // The discharge arrives now: its handoff goes on the continued case.
            try await Self.post(api, keys.integration, id: "d6", type: "hospital.discharged", at: Self.hoursAgo(1), cpr: cpr,
                                #"{"episode_id": "e6", "discharged_to": "home", "actor": "nsh"}"#)
            #expect(try await api.sql("SELECT case_id::text FROM handoffs WHERE status = 'pending'") == [[continuation]])
        }
    }

    @Test("a correction moves the time (the latest correction wins) or changes attributes; never the actor")
    func corrections() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4007"
            try await Self.admitAndDischarge(api, keys, suffix: "7", cpr: cpr)
            let due = { try await TestSQL.scalar(api, "SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM handoffs WHERE status = 'pending'") }
            let originalDue = try await due()
            let newTime = Self.hoursAgo(6)
            let moved = try await Self.correct(api, keys.integration, id: "c1", target: "d7", cpr: cpr, at: Self.hoursAgo(1), #""occurred_at": "\#(newTime)""#)
            #expect(moved.status == .created, "\(moved.text)")
            let movedDue = try await due()
            #expect(movedDue != nil && movedDue != originalDue)
            // A correction found earlier (its own occurred_at) does not override a later one, whenever it arrives.
            let older = try await Self.correct(api, keys.integration, id: "c2", target: "d7", cpr: cpr, at: Self.hoursAgo(3), #""occurred_at": "\#(Self.hoursAgo(7))""#)
            #expect(older.status == .created, "\(older.text)")
            #expect(try await due() == movedDue)
            // The timeline shows the corrected time.
            let caseID = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM cases"))
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.hospital)
            #expect(timeline.items.contains { ($0["data"] as? [String: Any])?["corrected_occurred_at"] as? String != nil }, "\(timeline.text)")

            let otherActor = try await Self.correct(api, keys.integration, id: "c3", target: "d7", cpr: cpr, #""attributes": {"episode_id": "e7", "discharged_to": "home", "actor": "psyk"}"#)
            #expect(otherActor.status == .unprocessableContent && otherActor.text.contains("attributes.attributes.actor"), "\(otherActor.text)")
            let invalid = try await Self.correct(api, keys.integration, id: "c4", target: "d7", cpr: cpr, #""attributes": {"episode_id": "e7", "discharged_to": "moon"}"#)
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("attributes.attributes.discharged_to"), "\(invalid.text)")
            let empty = try await Self.correct(api, keys.integration, id: "c5", target: "d7", cpr: cpr, #""note": "x""#)
            #expect(empty.status == .unprocessableContent, "\(empty.text)")
            // A transfer is no discharge home: the handoff goes.
            let transfer = try await Self.correct(api, keys.integration, id: "c6", target: "d7", cpr: cpr, #""attributes": {"episode_id": "e7", "discharged_to": "other_hospital"}"#)
            #expect(Self.effects(transfer) == ["request_handoff undone"], "\(transfer.text)")
            #expect(try await due() == nil)
        }
    }

    @Test("a retraction of an event not received yet is 404 and stores nothing; resent after the event, it gives the in-order end state")
    func retractionBeforeItsEvent() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let early = "010148-4008"
            try await Self.admitAndDischarge(api, keys, suffix: "8", cpr: early, discharge: false)
            let events = try await TestSQL.scalar(api, "SELECT count(*)::text FROM events")
            let tooEarly = try await Self.retract(api, keys.integration, id: "r8", target: "d8", cpr: early)
            #expect(tooEarly.status == .notFound)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM events") == events)
            try await Self.post(api, keys.integration, id: "d8", type: "hospital.discharged", at: Self.hoursAgo(8), cpr: early,
                                #"{"episode_id": "e8", "discharged_to": "home", "actor": "nsh"}"#)
            #expect(try await Self.retract(api, keys.integration, id: "r8", target: "d8", cpr: early).status == .created)

            // In order: a citizen whose discharge never arrived has the same case, with no open handoff.
            try await Self.admitAndDischarge(api, keys, suffix: "9", cpr: "010148-4009", discharge: false)
            let retracted = try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a8", timeline: false)
            let never = try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a9", timeline: false)
            #expect(retracted.map { $0.replacingOccurrences(of: #"nsh>hillerod cancelled \d{4}-\d{2}-\d{2} \d{2}:\d{2}"#, with: "", options: .regularExpression) } == never,
                    "\(retracted) vs \(never)")
        }
    }

    @Test("a retracted death gives the continued case back the handoff the death had cancelled")
    func retractedDeathRestoresHandoff() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4012"
            try await Self.admitAndDischarge(api, keys, suffix: "12", cpr: cpr)
            try await Self.post(api, keys.integration, id: "died", type: "citizen.died", at: Self.hoursAgo(2), cpr: cpr, "{}")
            #expect(try await api.sql("SELECT status FROM handoffs") == [["cancelled"]])
            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "died", cpr: cpr)
            #expect(Self.effects(retraction) == ["close_case undone", "request_handoff applied"], "\(retraction.text)")
            let pending = try await api.sql(
                "SELECT c.status FROM handoffs h JOIN cases c ON c.id = h.case_id WHERE h.status = 'pending'")
            #expect(pending == [["open"]])
        }
    }

    @Test("an accepted handoff whose discharge was first corrected, then retracted, still stands and is told")
    func correctedThenRetractedAcceptedHandoff() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4013"
            try await Self.admitAndDischarge(api, keys, suffix: "13", cpr: cpr)
            let handoff = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM handoffs"))
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.kommune).status == .ok)
            let corrected = try await Self.correct(api, keys.integration, id: "c1", target: "d13", cpr: cpr, #""occurred_at": "\#(Self.hoursAgo(7))""#)
            #expect(corrected.status == .created, "\(corrected.text)")
            let retraction = try await Self.retract(api, keys.integration, id: "r1", target: "d13", cpr: cpr)
            #expect(Self.effects(retraction) == ["request_handoff kept"], "\(retraction.text)")
            let inbox = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            #expect(inbox.items.contains { $0["kind"] as? String == "case.event_retracted" }, "\(inbox.text)")
        }
    }

    @Test("two corrections in one transaction: what the first undid, the second applies again")
    func correctionsInOneBatch() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4014"
            try await Self.admitAndDischarge(api, keys, suffix: "14", cpr: cpr, discharge: false)
            let line = { (id: String, found: String, admission: String) in
                #"{"source": "epj-fix", "id": "\#(id)", "type": "event.corrected", "occurred_at": "\#(found)", "cpr": "\#(cpr)", "attributes": {"source": "epj", "id": "a14", "attributes": {"episode_id": "e14", "admission": "\#(admission)"}}}"#
            }
            let response = try await api.call(
                .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"],
                rawBody: Data((line("c1", Self.hoursAgo(2), "planned") + "\n" + line("c2", Self.hoursAgo(1), "acute") + "\n").utf8))
            #expect(response.json["accepted"] as? Int == 2, "\(response.text)")
            #expect(try await api.sql("SELECT count(*)::text FROM cases WHERE status = 'open'") == [["1"]])
            #expect(try await api.sql("SELECT count(*)::text FROM applied_effects WHERE outcome = 'applied' AND slot LIKE 'subacute-elderly#0.0@%'") == [["1"]])
        }
    }

    @Test("a correction that changes no effect still shows its new time on the case's timeline")
    func timeOnlyCorrectionIsVisible() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010148-4015"
            try await Self.admitAndDischarge(api, keys, suffix: "15", cpr: cpr, discharge: false)
            let newTime = Self.hoursAgo(121)
            let corrected = try await Self.correct(api, keys.integration, id: "c1", target: "a15", cpr: cpr, #""occurred_at": "\#(newTime)""#)
            #expect(corrected.status == .created && Self.effects(corrected).isEmpty, "\(corrected.text)")
            let caseID = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM cases"))
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.hospital)
            #expect(timeline.items.contains { ($0["data"] as? [String: Any])?["corrected_occurred_at"] as? String != nil }, "\(timeline.text)")
        }
    }

    @Test("in one batch: an event, its correction and its retraction apply in posting order; the retraction of a later line is 404")
    func inOneBatch() async throws {
        let capture = LogCapture()
        try await TestAPI.run(logger: capture.logger(level: .warning)) { api in
            let keys = try await EventsTests.setUp(api)
            let at = Self.hoursAgo(8)
            let line = { (id: String, type: String, attributes: String) in
                #"{"source": "epj", "id": "\#(id)", "type": "\#(type)", "occurred_at": "\#(at)", "cpr": "010148-4011", "attributes": \#(attributes)}"#
            }
            let lines = [
                line("m", "citizen.moved", #"{"municipality_code": "219"}"#),
                line("a", "hospital.admitted", #"{"episode_id": "1", "admission": "acute", "actor": "nsh"}"#),
                line("x", "event.retracted", #"{"source": "epj", "id": "d"}"#),
                line("d", "hospital.discharged", #"{"episode_id": "1", "discharged_to": "home", "actor": "nsh"}"#),
                line("c", "event.corrected", #"{"source": "epj", "id": "d", "occurred_at": "\#(Self.hoursAgo(7))"}"#),
                line("r", "event.retracted", #"{"source": "epj", "id": "d"}"#),
            ]
            let response = try await api.call(
                .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"],
                rawBody: Data((lines.joined(separator: "\n") + "\n").utf8))
            #expect(response.json["accepted"] as? Int == 5, "\(response.text)")
            let rejected = try #require(response.json["rejected"] as? [[String: Any]])
            #expect(rejected.compactMap { $0["line"] as? Int } == [3])
            #expect(try await api.sql("SELECT status FROM handoffs") == [["cancelled"], ["cancelled"]])
            #expect(try await api.sql("SELECT status FROM cases") == [["open"]])
            // In one transaction: a handoff made and superseded in the same batch is stored cancelled at once, so the
            // batch never falls back to one event at a time.
            #expect(!capture.all.contains { $0.contains("ingest transaction failed") }, "\(capture.all)")
        }
    }

    @Test("outcome facts follow retractions and corrections: the counts equal a rebuild from the stored events")
    func outcomesFollow() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            for index in 0..<4 {
                let cpr = "01014\(8 + index % 2)-41\(index)0"
                try await Self.post(api, keys.integration, id: "oa\(index)", type: "hospital.admitted", at: "2026-01-0\(index + 1)T10:00:00Z", cpr: cpr,
                                    #"{"episode_id": "o\#(index)", "admission": "acute", "actor": "nsh"}"#)
                try await Self.post(api, keys.integration, id: "od\(index)", type: "hospital.discharged", at: "2026-01-0\(index + 3)T10:00:00Z", cpr: cpr,
                                    #"{"episode_id": "o\#(index)", "discharged_to": "home", "actor": "nsh"}"#)
                try await Self.post(api, keys.integration, id: "or\(index)", type: "hospital.admitted", at: "2026-01-2\(index)T10:00:00Z", cpr: cpr,
                                    #"{"episode_id": "p\#(index)", "admission": "acute", "actor": "nsh"}"#)
            }
            let snapshot = {
                try await api.sql(
                    """
                    SELECT measure || ' ' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || coalesce(to_char(outcome_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '-')
                    FROM outcome_episodes ORDER BY 1
                    """
                ).compactMap { $0[0] } + api.sql(
                    """
                    SELECT measure || grain || on_date || sum(episodes) || '/' || sum(positive) FROM outcome_counts
                    GROUP BY measure, grain, on_date HAVING sum(episodes) <> 0 OR sum(positive) <> 0 ORDER BY 1
                    """
                ).compactMap { $0[0] }
            }
            let before = try await snapshot()
            #expect(try await Self.retract(api, keys.integration, id: "x0", target: "od0", cpr: "010148-4100").status == .created)
            #expect(try await Self.retract(api, keys.integration, id: "x1", target: "or1", cpr: "010149-4110").status == .created)
            #expect(try await Self.correct(api, keys.integration, id: "x2", target: "od2", cpr: "010148-4120", #""occurred_at": "2026-01-10T10:00:00Z""#).status == .created)
            #expect(try await Self.correct(api, keys.integration, id: "x3", target: "oa3", cpr: "010149-4130", #""attributes": {"episode_id": "o3", "admission": "planned"}"#).status == .created)
            let after = try await snapshot()
            #expect(after != before)
            _ = try await api.sql("DELETE FROM outcome_episodes")
            _ = try await api.sql("DELETE FROM outcome_counts")
            _ = try await TestSQL.withDatabase(api.databaseURL) { try await PostgresOutcomeRepository(database: $0).rebuild(batchSize: 3) { _ in } }
            #expect(try await snapshot() == after)
        }
    }
}
