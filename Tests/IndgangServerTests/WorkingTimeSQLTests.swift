import Foundation
import IndgangCore
import Testing

/// The database's holiday table and working-time function (migration 0021) are IndgangCore's calendar.
@Suite("Working time in SQL")
struct WorkingTimeSQLTests {
    @Test("danish_holidays holds exactly the core's holidays for 1900–2200")
    func holidays() async throws {
        try await TestAPI.run { api in
            let rows = try await api.sql("SELECT on_date::text FROM danish_holidays ORDER BY 1").compactMap { $0[0] }
            var expected: [String] = []
            for year in DanishCalendar.supportedYears {
                expected += Set(try DanishCalendar.holidays(in: year).map(\.date.description)).sorted()
            }
            #expect(rows == expected)
        }
    }

    @Test("working_seconds equals DanishCalendar.workingSeconds, across weekends, holidays and daylight-saving changes")
    func workingSeconds() async throws {
        try await TestAPI.run { api in
            var random = SystemRandomNumberGenerator()
            // Around Easter and the DST changes of 2026, Christmas, and random spans of up to ten days.
            var pairs: [(Date, Date)] = [
                (RFC3339.parse("2026-03-27T22:30:00Z")!, RFC3339.parse("2026-03-30T08:00:00Z")!),
                (RFC3339.parse("2026-04-01T10:00:00Z")!, RFC3339.parse("2026-04-07T10:00:00Z")!),
                (RFC3339.parse("2026-10-23T12:00:00Z")!, RFC3339.parse("2026-10-26T12:00:00Z")!),
                (RFC3339.parse("2026-12-23T12:00:00Z")!, RFC3339.parse("2026-12-28T12:00:00Z")!),
            ]
            for _ in 0..<60 {
                let start = RFC3339.parse("2023-01-01T00:00:00Z")!.addingTimeInterval(Double.random(in: 0...(4 * 365 * 86_400), using: &random).rounded())
                pairs.append((start, start.addingTimeInterval(Double.random(in: 0...(10 * 86_400), using: &random).rounded())))
            }
            let values = pairs.map { "('\(RFC3339.format($0.0))'::timestamptz, '\(RFC3339.format($0.1))'::timestamptz)" }.joined(separator: ", ")
            let rows = try await api.sql("SELECT working_seconds(a, b)::bigint::text FROM (VALUES \(values)) AS p(a, b)")
            for (index, pair) in pairs.enumerated() {
                let core = try DanishCalendar.workingSeconds(from: pair.0, to: pair.1)
                #expect(rows[index][0] == String(Int64(core.rounded())), "\(pair.0) → \(pair.1)")
            }
        }
    }
}
