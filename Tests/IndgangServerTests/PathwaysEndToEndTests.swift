import Foundation
import HTTPTypes
import Testing

/// Each built-in pathway driven through the events API against a real database.
@Suite("Pathways end to end")
struct PathwaysEndToEndTests {
    /// One citizen's elderly history: a move, an acute admission, a discharge home, an acute readmission 10 days later.
    static func elderlyEvents(prefix: String) -> [(id: String, type: String, at: String, attributes: String)] {
        [
            ("\(prefix)-m", "citizen.moved", "2020-01-01T00:00:00Z", #"{"municipality_code": "219"}"#),
            ("\(prefix)-a1", "hospital.admitted", "2026-03-01T10:00:00Z", #"{"episode_id": "1", "admission": "acute", "actor": "nsh"}"#),
            ("\(prefix)-d1", "hospital.discharged", "2026-03-05T10:00:00Z", #"{"episode_id": "1", "discharged_to": "home", "actor": "nsh"}"#),
            ("\(prefix)-a2", "hospital.admitted", "2026-03-15T10:00:00Z", #"{"episode_id": "2", "admission": "acute", "actor": "nsh"}"#),
        ]
    }

    /// The observable end state of a citizen's cases (found through one of their events), independent of ids and
    /// arrival order; with `timeline`, the kinds of the timeline entries too.
    static func state(_ api: TestAPI, citizenOfEvent eventID: String, timeline: Bool = true) async throws -> [String] {
        let citizen = try #require(try await TestSQL.scalar(api, "SELECT citizen_id::text FROM events WHERE external_id = '\(eventID)'"))
        let timelineSQL = timeline ? "(SELECT string_agg(kind, ',' ORDER BY kind) FROM case_timeline t WHERE t.case_id = c.id)" : "''"
        return try await api.sql(
            """
            SELECT c.pathway || ' ' || c.status || ' ' || a.slug || ' ' || array_to_string(c.flags, ',') || ' | ' ||
                   coalesce((SELECT string_agg(fa.slug || '>' || ta.slug || ' ' || h.status || ' ' || to_char(h.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '; ' ORDER BY h.due_at, ta.slug)
                             FROM handoffs h JOIN actors fa ON fa.id = h.from_actor_id JOIN actors ta ON ta.id = h.to_actor_id WHERE h.case_id = c.id), '') || ' | ' ||
                   \(timelineSQL)
            FROM cases c JOIN actors a ON a.id = c.responsible_actor_id WHERE c.citizen_id = '\(citizen)' ORDER BY c.pathway
            """
        ).compactMap { $0[0] }
    }

    @Test("sub-acute elderly: admission opens at the hospital, discharge hands to the municipality, readmission is flagged")
    func elderly() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            for event in Self.elderlyEvents(prefix: "x") {
                let response = try await api.postEvent(key: keys.integration, id: event.id, type: event.type, at: event.at, attributes: event.attributes)
                #expect(response.status == .created, "\(response.text)")
            }
            let state = try await Self.state(api, citizenOfEvent: "x-a1")
            #expect(state == [
                "subacute-elderly open nsh readmission | nsh>hillerod pending 2026-03-06 10:00 | event_received,event_received,event_received,handoff_requested,opened,readmission_flagged"
            ])
            // The municipality was told: an incoming handoff in its inbox; the responsible hospital got the readmission.
            let kinds = try await api.sql(
                "SELECT a.slug || ' ' || n.kind FROM notifications n JOIN actors a ON a.id = n.actor_id ORDER BY n.position").compactMap { $0[0] }
            #expect(kinds == ["hillerod handoff.requested", "nsh case.readmission"])
            #expect(try await api.call(.get, "/v1/handoffs?direction=incoming", key: keys.kommune).items.count == 1)
        }
    }

    @Test("events arriving in reverse order give the same end state as in order")
    func outOfOrder() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            for event in Self.elderlyEvents(prefix: "in") {
                _ = try await api.postEvent(key: keys.integration, id: event.id, type: event.type, at: event.at, cpr: "010150-1111", attributes: event.attributes)
            }
            for event in Self.elderlyEvents(prefix: "rev").reversed() {
                let response = try await api.postEvent(
                    key: keys.integration, id: event.id, type: event.type, at: event.at, cpr: "010150-2222", attributes: event.attributes)
                #expect(response.status == .created)
            }
            // Same cases, responsibility, flags and handoffs (with the same due times)...
            let inOrder = try await Self.state(api, citizenOfEvent: "in-a1", timeline: false)
            let reversed = try await Self.state(api, citizenOfEvent: "rev-a1", timeline: false)
            #expect(inOrder == reversed)
            #expect(inOrder == ["subacute-elderly open nsh readmission | nsh>hillerod pending 2026-03-06 10:00 | "])
            // ...while the append-only timeline also tells what was known when: arriving before the move, the
            // discharge found no municipality to hand to and escalated; the move then completed the handoff.
            let timeline = try await Self.state(api, citizenOfEvent: "rev-a1")
            #expect(timeline.first?.hasSuffix("escalated,event_received,event_received,event_received,event_received,handoff_requested,opened,readmission_flagged") == true, "\(timeline)")
        }
    }

    @Test("a citizen's events in one NDJSON batch end as if posted one by one (including a death right after a discharge)")
    func batchEqualsSingles() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let events = Self.elderlyEvents(prefix: "s") + [("s-x", "citizen.died", "2026-03-16T10:00:00Z", "{}")]
            for event in events {
                _ = try await api.postEvent(key: keys.integration, id: event.id, type: event.type, at: event.at, cpr: "010150-1111", attributes: event.attributes)
            }
            let lines = (events.map { ($0.id.replacingOccurrences(of: "s-", with: "b-"), $0.type, $0.at, $0.attributes) } + [
                ("b-d2", "hospital.discharged", "2026-03-15T12:00:00Z", #"{"episode_id": "2", "discharged_to": "home", "actor": "nsh"}"#)
            ]).map { event in
                #"{"source": "epj", "id": "\#(event.0)", "type": "\#(event.1)", "occurred_at": "\#(event.2)", "cpr": "010150-2222", "attributes": \#(event.3)}"#
            }
            _ = try await api.postEvent(
                key: keys.integration, id: "s-d2", type: "hospital.discharged", at: "2026-03-15T12:00:00Z", cpr: "010150-1111",
                attributes: #"{"episode_id": "2", "discharged_to": "home", "actor": "nsh"}"#)
            let response = try await api.call(
                .post, "/v1/events/batch", key: keys.integration, headers: [.contentType: "application/x-ndjson"], rawBody: Data(lines.joined(separator: "\n").utf8))
            #expect(response.json["accepted"] as? Int == 6, "\(response.text)")
            let singles = try await Self.state(api, citizenOfEvent: "s-a1")
            let batched = try await Self.state(api, citizenOfEvent: "b-a1")
            #expect(singles == batched)
            #expect(singles.first?.hasPrefix("subacute-elderly closed nsh readmission") == true, "\(singles)")
        }
    }

    @Test("a late citizen.moved redirects a still-pending handoff to the right municipality")
    func lateMoveCorrects() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            _ = try await api.postEvent(key: keys.integration, id: "m1", type: "citizen.moved", at: "2020-01-01T00:00:00Z", attributes: #"{"municipality_code": "219"}"#)
            _ = try await api.postEvent(key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: EventsTests.admitted)
            _ = try await api.postEvent(
                key: keys.integration, id: "d1", type: "hospital.discharged", at: "2026-03-05T10:00:00Z",
                attributes: #"{"episode_id": "e1", "discharged_to": "home", "actor": "nsh"}"#)
            let late = try await api.postEvent(
                key: keys.integration, id: "m2", type: "citizen.moved", at: "2026-02-01T00:00:00Z", attributes: #"{"municipality_code": "561"}"#)
            #expect(late.status == .created)
            let effects = try #require(late.json["effects"] as? [[String: Any]])
            #expect(effects.first?["actor"] as? String == "esbjerg")
            let state = try await Self.state(api, citizenOfEvent: "a1")
            #expect(state.first?.contains("nsh>hillerod cancelled") == true, "\(state)")
            #expect(state.first?.contains("nsh>esbjerg pending") == true, "\(state)")
            #expect(try await TestSQL.scalar(api, "SELECT municipality_code FROM citizens") == "561")
        }
    }

    @Test("re-entry youth: planned release opens at the prison and hands off before release; release without accept escalates; re-offence is flagged")
    func reentry() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "150600-4321"  // born 15 June 2000
            _ = try await api.postEvent(key: keys.integration, id: "m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "561"}"#)
            let planned = try await api.postEvent(
                key: keys.prisonIntegration, id: "p1", type: "prison.release_planned", at: "2025-06-01T09:00:00Z", cpr: cpr,
                attributes: #"{"release_date": "2025-08-01", "actor": "kf"}"#)
            #expect((planned.json["effects"] as? [[String: Any]])?.map { $0["effect"] as? String } == ["open_case", "request_handoff"])
            _ = try await api.postEvent(key: keys.prisonIntegration, id: "r1", type: "prison.released", at: "2025-08-01T08:00:00Z", cpr: cpr, attributes: #"{"actor": "kf"}"#)
            let convicted = try await api.postEvent(
                key: keys.integration, id: "c1", type: "justice.convicted", at: "2026-05-01T09:00:00Z", cpr: cpr,
                attributes: #"{"offence_date": "2026-01-10", "sentence": "conditional"}"#)
            #expect(convicted.status == .created, "\(convicted.text)")
            let state = try await Self.state(api, citizenOfEvent: "p1")
            #expect(state == [
                "reentry-youth open kf reoffence | kf>esbjerg pending 2025-07-31 22:00 | escalated,event_received,event_received,event_received,handoff_requested,opened,reoffence_flagged"
            ])
            // The escalation told both the responsible prison and the municipality with the pending handoff.
            let escalated = try await api.sql(
                "SELECT string_agg(a.slug, ',' ORDER BY a.slug) FROM notifications n JOIN actors a ON a.id = n.actor_id WHERE n.kind = 'case.escalated'")
            #expect(escalated.first?.first == "esbjerg,kf")
        }
    }

    @Test("re-entry: an accepted handoff before release means no escalation")
    func reentryAccepted() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "150600-4321"
            _ = try await api.postEvent(key: keys.integration, id: "m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "561"}"#)
            let planned = try await api.postEvent(
                key: keys.prisonIntegration, id: "p1", type: "prison.release_planned", at: "2025-06-01T09:00:00Z", cpr: cpr,
                attributes: #"{"release_date": "2025-08-01", "actor": "kf"}"#)
            let handoff = try #require((planned.json["effects"] as? [[String: Any]])?.last?["handoff_id"] as? String)
            #expect(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.esbjerg).status == .ok)
            let released = try await api.postEvent(key: keys.prisonIntegration, id: "r1", type: "prison.released", at: "2025-08-01T08:00:00Z", cpr: cpr, attributes: #"{"actor": "kf"}"#)
            #expect((released.json["effects"] as? [[String: Any]])?.first?["status"] as? String == "skipped")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'escalated'") == "0")
        }
    }

    @Test("mental health youth: one case at the municipality however many psychiatric discharges arrive")
    func mentalHealthOneEntry() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            let cpr = "010105-4444"  // born 2005
            _ = try await api.postEvent(key: keys.integration, id: "m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "219"}"#)
            for index in 1...5 {
                let response = try await api.postEvent(
                    key: keys.psychiatryIntegration, id: "d\(index)", type: "hospital.discharged", at: "2026-0\(index)-10T10:00:00Z", cpr: cpr,
                    attributes: #"{"episode_id": "\#(index)", "discharged_to": "home", "actor": "psyk"}"#)
                #expect(response.status == .created, "\(response.text)")
            }
            let state = try await Self.state(api, citizenOfEvent: "d1")
            #expect(state.count == 1)
            #expect(state.first?.hasPrefix("mental-health-youth open hillerod") == true, "\(state)")
        }
    }

    @Test("citizen.died closes every open case as deceased and cancels pending handoffs")
    func death() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            for event in Self.elderlyEvents(prefix: "x").prefix(3) {
                _ = try await api.postEvent(key: keys.integration, id: event.id, type: event.type, at: event.at, attributes: event.attributes)
            }
            let died = try await api.postEvent(key: keys.integration, id: "dead", type: "citizen.died", at: "2026-03-07T10:00:00Z")
            #expect(died.status == .created)
            #expect(try await TestSQL.scalar(api, "SELECT status || ' ' || close_outcome FROM cases") == "closed deceased")
            #expect(try await TestSQL.scalar(api, "SELECT status FROM handoffs") == "cancelled")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM notifications WHERE kind = 'handoff.cancelled'") == "1")
        }
    }

    @Test("no registered municipality: the handoff cannot be made, so the case is escalated instead")
    func unknownMunicipalityEscalates() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            _ = try await api.postEvent(key: keys.integration, id: "m", type: "citizen.moved", at: "2020-01-01T00:00:00Z", attributes: #"{"municipality_code": "851"}"#)
            _ = try await api.postEvent(key: keys.integration, id: "a1", type: "hospital.admitted", at: "2026-03-01T10:00:00Z", attributes: EventsTests.admitted)
            let discharged = try await api.postEvent(
                key: keys.integration, id: "d1", type: "hospital.discharged", at: "2026-03-05T10:00:00Z",
                attributes: #"{"episode_id": "e1", "discharged_to": "home", "actor": "nsh"}"#)
            #expect((discharged.json["effects"] as? [[String: Any]])?.first?["status"] as? String == "escalated")
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM case_timeline WHERE kind = 'escalated'") == "1")
        }
    }
}
