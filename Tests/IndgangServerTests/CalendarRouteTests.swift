import Foundation
import HTTPTypes
import Testing

@Suite("Working-day calendar")
struct CalendarRouteTests {
    @Test("GET /v1/calendar?year= lists the Danish public holidays; store bededag until 2023 only; bad years are 422")
    func holidays() async throws {
        try await TestAPI.run { api in
            try await api.createActor("kobenhavn", code: "101")
            let key = try await api.issueKey("kobenhavn")
            let year2023 = try await api.call(.get, "/v1/calendar?year=2023", key: key)
            let holidays = (year2023.json["holidays"] as? [[String: Any]]) ?? []
            #expect(year2023.status == .ok && year2023.json["year"] as? Int == 2023)
            #expect(holidays.contains { $0["date"] as? String == "2023-05-05" && $0["name"] as? String == "store bededag" }, "\(year2023.text)")
            #expect(holidays.contains { $0["date"] as? String == "2023-04-09" && $0["name"] as? String == "påskedag" })
            let year2024 = try await api.call(.get, "/v1/calendar?year=2024", key: key)
            #expect(!year2024.text.contains("store bededag") && year2024.text.contains("2024-03-31"))
            for query in ["", "?year=abc", "?year=1850"] {
                #expect(try await api.call(.get, "/v1/calendar\(query)", key: key).fieldErrors == ["year"])
            }
            #expect(try await api.call(.get, "/v1/calendar?year=2024").status == .unauthorized)
        }
    }
}
