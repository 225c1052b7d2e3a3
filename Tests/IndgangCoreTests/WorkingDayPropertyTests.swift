import Foundation
import IndgangCore
import Testing

/// Properties of the working-day calendar over many seeded random instants, checked against Foundation's
/// `Calendar` in Europe/Copenhagen as an independent oracle.
@Suite("Danish working days: properties")
struct WorkingDayPropertyTests {
    private static let copenhagen: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDate.denmark
        return calendar
    }()

    @Test("Easter agrees with Gauss's algorithm, and every year's holidays are well formed, 1900–2200")
    func everySupportedYear() throws {
        for year in DanishCalendar.supportedYears {
            let easter = try DanishCalendar.easterSunday(in: year)
            #expect(easter == gaussEaster(year), "\(year)")
            #expect(Self.copenhagen.component(.weekday, from: easter.start()) == 1)
            let holidays = try DanishCalendar.holidays(in: year)
            #expect(holidays.count == (year <= 2023 ? 13 : 12))
            #expect(holidays.allSatisfy { $0.date.year == year })
            #expect(zip(holidays, holidays.dropFirst()).allSatisfy { $0.date <= $1.date })
        }
    }

    @Test("due times: a working day, the requested wall-clock time, N working days on, increasing in N")
    func dueTimes() throws {
        var random = SeededRandom(seed: 20_260_329)
        for _ in 0..<1_500 {
            let event = randomInstant(&random)
            let time = LocalTimeOfDay(hour: Int.random(in: 0...23, using: &random), minute: Int.random(in: 0...59, using: &random))!
            let eventDate = CalendarDate(event)
            var previous: Date?
            for workingDays in 0...12 {
                let due = try DanishCalendar.due(after: event, workingDays: workingDays, at: time)
                let dueDate = CalendarDate(due)
                let parts = Self.copenhagen.dateComponents([.hour, .minute], from: due)
                if workingDays > 0 {
                    #expect(DanishCalendar.isWorkingDay(dueDate))
                    #expect(try !isWeekend(due) && !isHoliday(dueDate))
                    #expect(parts.hour == time.hour && parts.minute == time.minute, "\(event) \(workingDays) \(time)")
                } else {
                    #expect(dueDate == eventDate)
                    let skipped = parts.hour == time.hour + 1 && parts.minute == time.minute && isSpringForward(dueDate)
                    #expect((parts.hour == time.hour && parts.minute == time.minute) || skipped, "\(event) \(time)")
                }
                #expect(workingDaysBetween(eventDate, dueDate) == workingDays)
                #expect(try DanishCalendar.workingDay(workingDays, after: eventDate) == dueDate)
                if let previous { #expect(due > previous) }
                previous = due
            }
        }
    }

    @Test("a due time on the event's own date at its own wall-clock minute is that minute")
    func wallClockRoundTrip() throws {
        var random = SeededRandom(seed: 7)
        for index in 0..<3_000 {
            let event = index % 2 == 0 ? randomInstant(&random) : nearDaylightSavingChange(&random)
            let parts = Self.copenhagen.dateComponents([.hour, .minute], from: event)
            let time = LocalTimeOfDay(hour: parts.hour!, minute: parts.minute!)!
            let due = try DanishCalendar.due(after: event, workingDays: 0, at: time)
            let minute = Date(timeIntervalSince1970: (event.timeIntervalSince1970 / 60).rounded(.down) * 60)
            // In the hour shown twice in autumn the first occurrence is chosen, an hour before the second.
            #expect(due == minute || due == minute.addingTimeInterval(-3_600), "\(event)")
        }
    }

    @Test("working time: additive, antisymmetric, bounded by clock time, as Foundation's calendar counts it")
    func workingTime() throws {
        var random = SeededRandom(seed: 42)
        for index in 0..<1_500 {
            let a = index % 3 == 0 ? nearDaylightSavingChange(&random) : randomInstant(&random)
            let span = index % 10 == 0 ? 800 * 86_400.0 : 30 * 86_400.0
            let b = a.addingTimeInterval(random.unit() * span)
            let c = b.addingTimeInterval(random.unit() * span)
            let ab = try DanishCalendar.workingSeconds(from: a, to: b)
            let bc = try DanishCalendar.workingSeconds(from: b, to: c)
            let ac = try DanishCalendar.workingSeconds(from: a, to: c)
            #expect(abs(ac - (ab + bc)) < 1e-5)
            #expect(try DanishCalendar.workingSeconds(from: c, to: a) == -ac)
            #expect(ab >= 0 && ab <= b.timeIntervalSince(a) + 1e-6)
            #expect(ac >= 0 && ac <= c.timeIntervalSince(a) + 1e-6)
            #expect(abs(ab - oracleWorkingSeconds(a, b)) < 1e-5, "\(a) \(b)")
        }
    }

    // MARK: Oracles and generators

    /// Instants from 1990 to 2150, to the millisecond.
    private func randomInstant(_ random: inout SeededRandom) -> Date {
        Date(timeIntervalSince1970: (Double(Int.random(in: 631_152_000_000...5_680_281_600_000, using: &random)) / 1_000))
    }

    /// Instants within three hours of a change to or from summer time (the last Sundays of March and October, 01:00 UTC).
    private func nearDaylightSavingChange(_ random: inout SeededRandom) -> Date {
        let year = Int.random(in: 1996...2150, using: &random)
        let month = random.chance(0.5) ? 3 : 10
        let lastDay = CalendarDate(year: year, month: month, day: 31)!
        let weekday = Self.copenhagen.component(.weekday, from: lastDay.start())
        let change = lastDay.adding(days: -(weekday - 1)).start(in: TimeZone(identifier: "UTC")!).addingTimeInterval(3_600)
        return change.addingTimeInterval(Double(Int.random(in: -10_800_000...10_800_000, using: &random)) / 1_000)
    }

    private func workingDaysBetween(_ start: CalendarDate, _ end: CalendarDate) -> Int {
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if DanishCalendar.isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    private func oracleWorkingSeconds(_ start: Date, _ end: Date) -> TimeInterval {
        var total: TimeInterval = 0
        var dayStart = Self.copenhagen.startOfDay(for: start)
        while dayStart < end {
            let next = Self.copenhagen.date(byAdding: .day, value: 1, to: dayStart)!
            if !isWeekend(dayStart), !((try? isHoliday(CalendarDate(dayStart))) ?? true) {
                total += min(end, next).timeIntervalSince(max(start, dayStart))
            }
            dayStart = next
        }
        return total
    }

    private func isWeekend(_ instant: Date) -> Bool {
        [1, 7].contains(Self.copenhagen.component(.weekday, from: instant))
    }

    private func isHoliday(_ date: CalendarDate) throws -> Bool {
        try DanishCalendar.holidays(in: date.year).contains { $0.date == date }
    }

    private func isSpringForward(_ date: CalendarDate) -> Bool {
        let start = date.start()
        return CalendarDate.denmark.secondsFromGMT(for: start.addingTimeInterval(86_400))
            > CalendarDate.denmark.secondsFromGMT(for: start)
    }

    /// Gauss's Easter algorithm with its two exceptions: an independent check of the anonymous algorithm.
    private func gaussEaster(_ year: Int) -> CalendarDate {
        let a = year % 19
        let b = year % 4
        let c = year % 7
        let k = year / 100
        let p = (13 + 8 * k) / 25
        let q = k / 4
        let m = (15 - p + k - q) % 30
        let n = (4 + k - q) % 7
        let d = (19 * a + m) % 30
        let e = (2 * b + 4 * c + 6 * d + n) % 7
        if d == 29 && e == 6 { return CalendarDate(year: year, month: 4, day: 19)! }
        if d == 28 && e == 6 && (11 * m + 11) % 30 < 19 { return CalendarDate(year: year, month: 4, day: 18)! }
        return CalendarDate(year: year, month: 3, day: 22)!.adding(days: d + e)
    }
}
