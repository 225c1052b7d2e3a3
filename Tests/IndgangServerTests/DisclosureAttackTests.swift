import Foundation
import HTTPTypes
import IndgangCore
import Testing

/// The subtraction attacks of issue 12 against the outcome figures.
extension TrustBoundaryTests {
    @Test("subtraction attacks recover no 1–4 cell: total − groups, a filter on a small municipality, day windows; shown figures stay exact")
    func disclosureAttacks() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            try await api.createActor("esbjerg", code: "561")
            try await api.createActor("statistik", kind: "other", code: nil)
            let coordinator = try await api.issueKey("statistik", role: "coordinator")
            // Index discharges in 2024: København 20 (6 readmitted), Hillerød 12 (5), Esbjerg 3 (1).
            var moves: [String] = []
            var hospital: [String] = []
            var citizen = 0
            for (code, total, readmitted) in [("101", 20, 6), ("219", 12, 5), ("561", 3, 1)] {
                for index in 0..<total {
                    citizen += 1
                    let cpr = String(format: "0101%02d-%04d", 30 + citizen % 30, 1000 + citizen)
                    let month = String(format: "%02d", 1 + index % 10)
                    moves.append(#"{"source": "cpr", "id": "m\#(citizen)", "type": "citizen.moved", "occurred_at": "2020-01-01T00:00:00Z", "cpr": "\#(cpr)", "attributes": {"municipality_code": "\#(code)"}}"#)
                    hospital.append(#"{"source": "epj", "id": "d\#(citizen)", "type": "hospital.discharged", "occurred_at": "2024-\#(month)-05T10:00:00Z", "cpr": "\#(cpr)", "attributes": {"episode_id": "e\#(citizen)", "discharged_to": "home", "actor": "nsh"}}"#)
                    if index < readmitted {
                        hospital.append(#"{"source": "epj", "id": "a\#(citizen)", "type": "hospital.admitted", "occurred_at": "2024-\#(month)-15T10:00:00Z", "cpr": "\#(cpr)", "attributes": {"episode_id": "r\#(citizen)", "admission": "acute", "actor": "nsh"}}"#)
                    }
                }
            }
            for (key, lines) in [(keys.hillerod, moves), (keys.nsh, hospital)] {
                let batch = try await api.call(
                    .post, "/v1/events/batch", key: key, headers: [.contentType: "application/x-ndjson"], rawBody: Data(lines.joined(separator: "\n").utf8))
                #expect((batch.json["rejected"] as? [Any])?.isEmpty == true, "\(batch.text)")
            }
            let get = { (query: String) in try await api.call(.get, "/v1/outcomes/readmissions?from=2024-01-01&to=2024-12-31\(query)", key: coordinator) }
            let total = try await get("")
            let all = try #require((total.json["groups"] as? [[String: Any]])?.first)
            #expect(all["numerator"] as? Int == 12 && all["denominator"] as? Int == 35, "\(total.text)")
            let suppression = (total.json["definition"] as? [String: Any])?["suppression"]
            #expect("\(suppression ?? "")".contains("complementary"), "\(total.text)")

            // Total − visible groups: Esbjerg's 1 of 3 is hidden, and so is the next smallest (Hillerød), so the
            // subtraction yields 6 of 15, not Esbjerg's cell.
            let grouped = Self.groupsByKey(try await get("&group_by=municipality"))
            #expect(grouped["561"]?.numerator == nil && grouped["561"]?.denominator == nil)
            #expect(grouped["219"]?.numerator == nil && grouped["219"]?.denominator == nil)
            #expect(grouped["101"]?.numerator == 6 && grouped["101"]?.denominator == 20)
            // A filter on the small municipality answers with everything suppressed, by month too.
            for query in ["&municipality=561", "&municipality=561&group_by=month", "&compare=municipality:101,561"] {
                let answer = try await get(query)
                #expect(answer.status == .ok)
                let groups = (answer.json["groups"] as? [[String: Any]]) ?? []
                #expect(!groups.isEmpty && groups.allSatisfy { $0["suppressed"] as? Bool == true && $0["numerator"] is NSNull }, "\(query): \(answer.text)")
            }
            // Day-granular windows could single out one discharge: refused.
            for (query, field) in [("?from=2024-01-01&to=2024-06-15", "to"), ("?from=2024-01-02&to=2024-12-31", "from")] {
                let refused = try await api.call(.get, "/v1/outcomes/readmissions\(query)", key: coordinator)
                #expect(refused.status == .unprocessableContent && refused.fieldErrors == [field])
            }
            let handoffs = try await api.call(.get, "/v1/outcomes/handoffs?from=2024-05-01&to=2024-05-31", key: coordinator)
            #expect(handoffs.status == .ok)
            // Every query is in the audit log with its parameters, never data.
            let log = try await api.call(.get, "/v1/audit?actor=statistik", key: TestAPI.adminKey)
            let queries = log.items.filter { $0["action"] as? String == "outcomes.query" }
            // The six answered ones (a refused query shows nothing).
            #expect(queries.count == 6, "\(log.text)")
            #expect(queries.contains { ($0["details"] as? [String: Any])?["municipality"] as? String == "561" })
            #expect(queries.allSatisfy { $0["citizen_id"] == nil || $0["citizen_id"] is NSNull })
        }
    }

    static func groupsByKey(_ response: APIResponse) -> [String: (numerator: Int?, denominator: Int?)] {
        let groups = (response.json["groups"] as? [[String: Any]]) ?? []
        return Dictionary(uniqueKeysWithValues: groups.map { ($0["key"] as! String, ($0["numerator"] as? Int, $0["denominator"] as? Int)) })
    }
}
