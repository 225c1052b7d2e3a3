import Foundation
import IndgangCore
import Testing

/// `CalendarDate` does its own day arithmetic; Foundation's Gregorian calendar is the reference (from 1850 on, well
/// after its switch from the Julian calendar in 1582).
@Suite("Calendar dates against Foundation's calendar")
struct CalendarDateTests {
    static let zones = ["Europe/Copenhagen", "UTC", "America/New_York", "Pacific/Chatham", "Asia/Kolkata"].map { TimeZone(identifier: $0)! }

    @Test("the date of an instant in a zone, over many random instants", arguments: Array(UInt64(1)...10))
    func dateOfInstant(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            // 1850 to 2150, with instants near midnight and the daylight-saving switches as likely as any other.
            let instant = Date(timeIntervalSince1970: Double(Int64.random(in: -3_786_825_600...5_680_281_600, using: &random)) + Double.random(in: 0..<1, using: &random))
            for zone in Self.zones {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let parts = calendar.dateComponents([.year, .month, .day], from: instant)
                #expect(CalendarDate(instant, in: zone) == CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!), "\(instant) in \(zone.identifier)")
            }
        }
    }

    @Test("moving by days and counting days agree with the calendar and with each other", arguments: Array(UInt64(1)...5))
    func dayArithmetic(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for _ in 0..<500 {
            let date = CalendarDate(daysSince1970: Int.random(in: -43_830...65_745, using: &random))
            let days = Int.random(in: -40_000...40_000, using: &random)
            let moved = date.adding(days: days)
            let start = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
            let expected = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: days, to: start)!)
            #expect(moved == CalendarDate(year: expected.year!, month: expected.month!, day: expected.day!))
            #expect(date.days(until: moved) == days)
            #expect(CalendarDate(daysSince1970: date.daysSince1970) == date)
        }
        #expect(CalendarDate(daysSince1970: 0) == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(CalendarDate(year: 2000, month: 3, day: 1)!.daysSince1970 == 11_017)
    }
}
