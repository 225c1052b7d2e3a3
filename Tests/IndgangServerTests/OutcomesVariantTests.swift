import Foundation
import IndgangCore
import Testing

@testable import IndgangServer

/// Figures by local variant and the goals (issue 17), against the plain computation of `OutcomesTests`.
@Suite("Outcomes by variant, with goals")
struct OutcomesVariantTests {
    /// Copenhagen and Frederiksberg run a variant from the middle of a month (so month rows are split); Aarhus adopts it later.
    static let files = [
        "kbh-subacute.yaml": """
            id: kbh-subacute
            title: Sub-akut forløb, København og Frederiksberg
            extends: subacute-elderly
            version: 1
            municipalities: ["101", "147"]
            valid_from: 2023-03-15
            overrides:
              handoff_due: {working_days: 1, at: "15:00"}
            goals:
              - {measure: readmissions, target: 0.5, direction: below, from: 2021-01-01}
            """,
        "aarhus-subacute.yaml": """
            id: aarhus-subacute
            title: Aarhus tager Københavns forløb
            version: 1
            adopts: kbh-subacute@1
            municipalities: ["751"]
            valid_from: 2024-01-01
            """,
    ]

    static func variant(municipality: String, date: String) -> String {
        if ["101", "147"].contains(municipality), date >= "2023-03-15" { return "kbh-subacute" }
        if municipality == "751", date >= "2024-01-01" { return "kbh-subacute" }
        return "subacute-elderly"
    }

    @Test("group_by=variant and compare=variant equal the plain computation; each group's goal status matches its interval")
    func byVariant() async throws {
        let folder = try PathwayVariantRouteTests.folder(Self.files)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestAPI.run(configure: { $0.pathwaysFolder = folder }) { api in
            let (keys, population) = try await OutcomesTests.load(api, citizens: 600, seed: 7)
            let now = Date()
            let expected = OutcomesTests.readmissions(population, from: "2021-06-01", to: "2026-05-31", now: now, elderlyOnly: true) { citizen, event in
                Self.variant(municipality: OutcomesTests.municipality(of: citizen, at: event.occurredAt), date: OutcomesTests.copenhagenDate(event.occurredAt))
            }
            let byVariant = try await api.call(
                .get, "/v1/outcomes/readmissions?from=2021-06-01&to=2026-05-31&group_by=variant&pathway=subacute-elderly", key: keys.coordinator)
            OutcomesTests.expectAgreement(byVariant, expected)
            #expect(Set(OutcomesTests.groups(byVariant).keys) == ["kbh-subacute", "subacute-elderly"])
            #expect((expected["kbh-subacute"]?.denominator ?? 0) >= 20, "enough episodes to show: \(expected)")

            let groups = try #require(byVariant.json["groups"] as? [[String: Any]])
            for group in groups {
                let goal = group["goal"] as? [String: Any]
                if group["key"] as? String == "kbh-subacute" {
                    let interval = try #require(group["ci95"] as? [Double])
                    let status = interval[1] < 0.5 ? "met" : interval[0] > 0.5 ? "not_met" : "undetermined"
                    #expect(goal?["status"] as? String == status && goal?["target"] as? Double == 0.5 && goal?["direction"] as? String == "below")
                } else {
                    #expect(group["goal"] is NSNull, "the base declares no goal")
                }
            }
            let definition = try #require(byVariant.json["definition"] as? [String: Any])
            #expect((definition["goal_status"] as? String)?.contains("whole 95 % interval") == true)

            let compared = try await api.call(
                .get, "/v1/outcomes/readmissions?from=2021-06-01&to=2026-05-31&compare=variant:subacute-elderly,kbh-subacute&pathway=subacute-elderly",
                key: keys.coordinator)
            OutcomesTests.expectAgreement(
                compared, Dictionary(uniqueKeysWithValues: expected.map { ("variant:\($0.key)", $0.value) }))
            #expect((compared.json["comparison"] as? [String: Any])?["b"] as? String == "variant:kbh-subacute")
            let csv = try await api.call(
                .get, "/v1/outcomes/readmissions?from=2021-06-01&to=2026-05-31&group_by=variant&pathway=subacute-elderly", key: keys.coordinator,
                headers: [.accept: "text/csv"])
            #expect(csv.text.hasPrefix("key,numerator,denominator,rate,ci95_low,ci95_high,suppressed,censored,goal_target,goal_direction,goal_status\r\n"))
            #expect(csv.text.contains(",0.5,below,"), "\(csv.text)")
            #expect(try await api.call(.get, "/v1/outcomes/readmissions?compare=variant:kbh-subacute,nowhere", key: keys.coordinator).fieldErrors == ["compare"])
            // A NUL or a long emoji that no variant id can be is a 422 naming the field, never passed to PostgreSQL.
            #expect(try await api.call(.get, "/v1/outcomes/readmissions?compare=variant:kbh-subacute,kbh%00", key: keys.coordinator).fieldErrors == ["compare"])
            let emoji = String(repeating: "%F0%9F%87%A9%F0%9F%87%B0", count: 300)
            #expect(try await api.call(.get, "/v1/outcomes/readmissions?compare=variant:\(emoji),kbh-subacute", key: keys.coordinator).fieldErrors == ["compare"])
            // Figures by variant are a coordinator's: another role's key is refused.
            let caseworker = try await api.issueKey("kobenhavn")
            #expect(try await api.call(.get, "/v1/outcomes/readmissions?group_by=variant", key: caseworker).status == .forbidden)

            // The coordinator's page shows the same goal beside the figures.
            let console = ConsoleClient(api)
            _ = try await console.login(keys.coordinator)
            let page = try await console.get("/console/outcomes/readmissions?from=2021-06-01&to=2026-05-31&group_by=variant&pathway=subacute-elderly")
            #expect(page.status == .ok)
            #expect(page.text.contains("<th scope=\"col\">Mål</th>") && page.text.contains("class=\"goal"), "the goal column")

            // Handoffs by variant: per the handoff's pathway, every handoff in exactly one group. The simulated handoffs
            // are requested when the load runs, so the window is this month.
            let today = CalendarDate(Date())
            let month = "from=\(today.firstOfMonth)&to=\(today.lastOfMonth)"
            let handoffs = try await api.call(.get, "/v1/outcomes/handoffs?\(month)&group_by=variant", key: keys.coordinator)
            #expect(handoffs.status == .ok, "\(handoffs.text)")
            let plain = try await api.call(.get, "/v1/outcomes/handoffs?\(month)", key: keys.coordinator)
            func requested(_ response: APIResponse) -> Int {
                ((response.json["groups"] as? [[String: Any]]) ?? []).reduce(0) { $0 + (($1["requested"] as? Int) ?? 0) }
            }
            #expect(requested(handoffs) > 0 && requested(handoffs) == requested(plain))
            let keysSeen = Set(((handoffs.json["groups"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(keysSeen.isSubset(of: ["kbh-subacute", "subacute-elderly", "reentry-youth", "mental-health-youth"]), "\(keysSeen)")
        }
    }
}
