import Foundation
import IndgangConsole
import Testing

@Suite struct DanishFormatTests {
    static func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func datesUseDanishMonthAbbreviations() {
        #expect(DanishFormat.date(Self.utc("2026-12-03T13:05:00Z")) == "3. dec. 2026")
        #expect(DanishFormat.date(Self.utc("2026-05-17T10:00:00Z")) == "17. maj 2026")
        #expect(DanishFormat.date(isoDay: "2026-01-01") == "1. jan. 2026")
        #expect(DanishFormat.date(isoDay: "2026-13-01") == nil)
        #expect(DanishFormat.month(isoMonth: "2026-09") == "sep. 2026")
        #expect(DanishFormat.month(isoMonth: "2026-03", long: true) == "marts 2026")
    }

    @Test func dateTimesAreCopenhagenWallClockWithAPeriod() {
        #expect(DanishFormat.dateTime(Self.utc("2026-12-03T13:05:00Z")) == "3. dec. 2026 kl. 14.05")
        // Summer time: UTC+2.
        #expect(DanishFormat.dateTime(Self.utc("2026-07-01T07:09:00Z")) == "1. jul. 2026 kl. 09.09")
        // A late-evening UTC instant is already the next day in Copenhagen.
        #expect(DanishFormat.dateTime(Self.utc("2026-12-31T23:30:00Z")) == "1. jan. 2027 kl. 00.30")
    }

    @Test func daylightSavingChangesAreFollowed() {
        // Summer time began 29 March 2026 at 02.00 (01.00 UTC): 00.59 UTC is 01.59 winter time, 01.00 UTC is 03.00.
        #expect(DanishFormat.dateTime(Self.utc("2026-03-29T00:59:00Z")) == "29. mar. 2026 kl. 01.59")
        #expect(DanishFormat.dateTime(Self.utc("2026-03-29T01:00:00Z")) == "29. mar. 2026 kl. 03.00")
        // Winter time returns 25 October 2026 at 03.00 summer time: 02.30 occurs twice.
        #expect(DanishFormat.dateTime(Self.utc("2026-10-25T00:30:00Z")) == "25. okt. 2026 kl. 02.30")
        #expect(DanishFormat.dateTime(Self.utc("2026-10-25T01:30:00Z")) == "25. okt. 2026 kl. 02.30")
        // Across the change a day is 23 hours long, and the duration says so.
        let start = Self.utc("2026-03-28T11:00:00Z"), end = Self.utc("2026-03-29T10:00:00Z")
        #expect(DanishFormat.dateTime(start) == "28. mar. 2026 kl. 12.00" && DanishFormat.dateTime(end) == "29. mar. 2026 kl. 12.00")
        #expect(DanishFormat.hours(from: start, to: end) == "23 timer")
    }

    @Test func numbersUsePeriodsForThousandsAndCommaForDecimals() {
        #expect(DanishFormat.integer(0) == "0")
        #expect(DanishFormat.integer(999) == "999")
        #expect(DanishFormat.integer(1234) == "1.234")
        #expect(DanishFormat.integer(1_234_567) == "1.234.567")
        #expect(DanishFormat.integer(-1234) == "\u{2212}1.234")
        #expect(DanishFormat.decimal(1234.56, places: 1) == "1.234,6")
        #expect(DanishFormat.decimal(0.05, places: 2) == "0,05")
        #expect(DanishFormat.decimal(-0.04, places: 1) == "0,0")
    }

    @Test func percentagesHaveOneDecimalAndASpacedSign() {
        #expect(DanishFormat.percent(0.125) == "12,5 %")
        #expect(DanishFormat.percent(0.1245) == "12,5 %")
        #expect(DanishFormat.percent(1) == "100,0 %")
        #expect(DanishFormat.percent(0) == "0,0 %")
        #expect(DanishFormat.percentTick(0.1) == "10 %")
        #expect(DanishFormat.percentTick(0.025) == "2,5 %")
        #expect(DanishFormat.interval(0.093, 0.166) == "9,3–16,6 %")
        #expect(DanishFormat.percentagePoints(0.023) == "+2,3 procentpoint")
        #expect(DanishFormat.percentagePoints(-0.01) == "\u{2212}1,0 procentpoint")
    }

    @Test func durationsInHours() {
        #expect(DanishFormat.hours(1) == "1 time")
        #expect(DanishFormat.hours(36.5) == "36,5 timer")
        #expect(DanishFormat.hours(48) == "48 timer")
        #expect(DanishFormat.hours(0.25) == "0,3 timer")
        #expect(DanishFormat.hours(1234) == "1.234 timer")
    }

    @Test func deadlinesRelativeToNow() {
        let now = Self.utc("2026-12-03T13:05:00Z")
        #expect(DanishFormat.relativeDue(now.addingTimeInterval(5 * 3600), now: now) == "om 5 timer")
        #expect(DanishFormat.relativeDue(now.addingTimeInterval(-2 * 3600), now: now) == "2 timer over fristen")
        #expect(DanishFormat.relativeDue(now.addingTimeInterval(40 * 60), now: now) == "om 40 minutter")
        #expect(DanishFormat.relativeDue(now.addingTimeInterval(3 * 86_400), now: now) == "om 3 dage")
        #expect(DanishFormat.relativeDue(now.addingTimeInterval(3600), now: now) == "om 1 time")
    }
}
