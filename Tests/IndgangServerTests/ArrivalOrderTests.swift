import Foundation
import HTTPTypes
import IndgangCore
import Testing

/// Defects that came from deciding rule effects and caseworker commands on two paths (issue 13).
@Suite("Arrival order and one payload per kind")
struct ArrivalOrderTests {
    /// A 78-year-old's move, acute admission (5 days ago) and discharge home (8 hours ago), in a given order.
    static func episode(_ suffix: String) -> [(id: String, type: String, at: String, attributes: String)] {
        let now = Date()
        return [
            ("m", "citizen.moved", "2020-01-01T00:00:00Z", #"{"municipality_code": "219"}"#),
            ("d", "hospital.discharged", RFC3339.format(now.addingTimeInterval(-8 * 3600)), #"{"episode_id": "e\#(suffix)", "discharged_to": "home", "actor": "nsh"}"#),
            ("a", "hospital.admitted", RFC3339.format(now.addingTimeInterval(-5 * 86_400)), #"{"episode_id": "e\#(suffix)", "admission": "acute", "actor": "nsh"}"#),
        ]
    }

    static let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]

    @Test("every arrival order of move, discharge and admission ends with the handoff to the municipality requested")
    func everyOrder() async throws {
        try await TestAPI.run { api in
            let keys = try await EventsTests.setUp(api)
            var states: [[String]] = []
            for (index, order) in Self.orders.enumerated() {
                let cpr = "01014\(8 + index % 2)-\(4000 + index)"
                let events = Self.episode("\(index)")
                for position in order {
                    let event = events[position]
                    let response = try await api.postEvent(
                        key: keys.integration, id: "\(event.id)\(index)", type: event.type, at: event.at, cpr: cpr, attributes: event.attributes)
                    #expect(response.status == .created, "\(response.text)")
                }
                // Cases, responsibility, flags and handoffs; the append-only timeline keeps what was known when (a
                // discharge before the move escalated: nobody knew the municipality yet).
                states.append(try await PathwaysEndToEndTests.state(api, citizenOfEvent: "a\(index)", timeline: false).map { Self.withoutTimes($0) })
            }
            #expect(states.allSatisfy { $0 == states[0] }, "\(states)")
            #expect(states[0].first?.contains("nsh>hillerod pending") == true, "\(states[0])")

            // Whoever caused it, handoff.requested carries one payload: {from_actor, to_actor}.
            let inbox = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            let requested = inbox.items.filter { $0["kind"] as? String == "handoff.requested" }
            #expect(requested.count == 6)
            #expect(requested.allSatisfy { ($0["data"] as? [String: String]) == ["from_actor": "nsh", "to_actor": "hillerod"] }, "\(inbox.text)")
            let caseID = try #require(try await TestSQL.scalar(api, "SELECT id::text FROM cases ORDER BY id LIMIT 1"))
            _ = try await api.requestHandoff(caseID: try await Self.caseHeldByNSH(api, keys: keys), key: keys.hospital, to: "esbjerg")
            let manual = try await api.call(.get, "/v1/notifications", key: keys.esbjerg)
            #expect((manual.items.first?["data"] as? [String: String]) == ["from_actor": "nsh", "to_actor": "esbjerg"], "\(manual.text)")

            // The timeline shows each event that affected the case: type, source and time, never free text or CPR.
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.hospital)
            let received = timeline.items.filter { $0["kind"] as? String == "event_received" }.compactMap { $0["data"] as? [String: Any] }
            #expect(Set(received.compactMap { $0["type"] as? String }) == ["hospital.admitted", "hospital.discharged"], "\(timeline.text)")
            #expect(received.allSatisfy { Set($0.keys) == ["event_id", "type", "source", "occurred_at"] && $0["source"] as? String == "epj" })
        }
    }

    /// A case without a pending handoff that nsh holds: opened by a caseworker for a fresh citizen.
    static func caseHeldByNSH(_ api: TestAPI, keys: (integration: String, hospital: String, kommune: String, prison: String, esbjerg: String, prisonIntegration: String, psychiatryIntegration: String)) async throws -> String {
        try await api.openCase(key: keys.hospital, cpr: "020250-1234")
    }

    /// Handoff due times and timeline order depend on when each order ran; the decisions must not.
    static func withoutTimes(_ state: String) -> String {
        state.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"#, with: "T", options: .regularExpression)
    }
}
