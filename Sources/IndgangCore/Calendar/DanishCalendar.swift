import Foundation

/// Danish working days, as due rules and handoff performance count them.
///
/// - A *working day* is a Monday–Friday that is not a public holiday: nytårsdag, skærtorsdag, langfredag,
///   påskedag, 2. påskedag, store bededag (until 2023), Kristi himmelfartsdag, pinsedag, 2. pinsedag,
///   grundlovsdag (5 June), juleaftensdag, juledag and 2. juledag. Days are Europe/Copenhagen calendar days.
/// - A *due time* `{working_days: N, at: "HH:MM"}` is HH:MM Copenhagen time on the Nth working day after the
///   event's Copenhagen date (day 0). N = 0 means HH:MM on the event's own date, working day or not, even when
///   that is earlier than the event. A local time skipped in spring is read in winter time (02:30 → 03:30 summer
///   time); a local time shown twice in autumn is its first occurrence (summer time).
/// - *Working time* between two instants is the number of seconds between them that fall on working days:
///   every second of a working day counts (all its 23, 24 or 25 local hours), no second of a Saturday, Sunday
///   or holiday does. It is additive (w(a, c) = w(a, b) + w(b, c)), at most the clock time between the instants,
///   and negative when the second instant is the earlier.
///
/// Only `supportedYears` are known; the holidays of all of them are computed once, on first use.
public enum DanishCalendar {
    public static let supportedYears = 1900...2200

    /// Easter Sunday (Gregorian) by the anonymous algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(in year: Int) throws(DanishCalendarError) -> CalendarDate {
        guard supportedYears.contains(year) else { throw .unsupportedYear(year) }
        return CalendarDate(daysSince1970: easterDayNumber(year))
    }

    /// The public holidays of `year` by date; a date may carry two (5 June 2022: pinsedag and grundlovsdag).
    public static func holidays(in year: Int) throws(DanishCalendarError) -> [DanishHoliday] {
        guard supportedYears.contains(year) else { throw .unsupportedYear(year) }
        return holidayTable[year - supportedYears.lowerBound]
    }

    /// Whether `date` is a working day; false for every date outside `supportedYears`.
    public static func isWorkingDay(_ date: CalendarDate) -> Bool {
        supportedYears.contains(date.year) && isWorkingDay(dayNumber: date.daysSince1970)
    }

    /// The `count`th working day after `date` (`date` itself when `count` is 0).
    public static func workingDay(_ count: Int, after date: CalendarDate) throws(DanishCalendarError) -> CalendarDate {
        guard supportedYears.contains(date.year) else { throw .unsupportedYear(date.year) }
        return CalendarDate(daysSince1970: try workingDay(count, afterDayNumber: date.daysSince1970))
    }

    /// The instant HH:MM Copenhagen time on the `workingDays`th working day after the Copenhagen date of `event`
    /// (see the type's documentation for N = 0 and daylight-saving changes).
    public static func due(after event: Date, workingDays: Int, at time: LocalTimeOfDay) throws(DanishCalendarError) -> Date {
        let eventDay = try dayNumber(of: event)
        let dueDay = try workingDay(workingDays, afterDayNumber: eventDay)
        return CopenhagenClock.instant(atLocalSeconds: dueDay * 86_400 + time.secondsSinceMidnight)
    }

    /// Seconds from `start` to `end` that fall on Copenhagen working days (see the type's documentation).
    public static func workingSeconds(from start: Date, to end: Date) throws(DanishCalendarError) -> TimeInterval {
        if end < start { return -(try workingSeconds(from: end, to: start)) }
        let firstDay = try dayNumber(of: start)
        let lastDay = try dayNumber(of: end)
        var total: TimeInterval = 0
        var dayStart = CopenhagenClock.instant(atLocalSeconds: firstDay * 86_400)
        for day in firstDay...lastDay {
            let nextDayStart = CopenhagenClock.instant(atLocalSeconds: (day + 1) * 86_400)
            if isWorkingDay(dayNumber: day) {
                total += min(end, nextDayStart).timeIntervalSince(max(start, dayStart))
            }
            dayStart = nextDayStart
        }
        return total
    }

    // MARK: Day numbers (days since 1970-01-01)

    private static let firstDayNumber = RFC3339.daysFromCivil(year: supportedYears.lowerBound, month: 1, day: 1)
    private static let lastDayNumber = RFC3339.daysFromCivil(year: supportedYears.upperBound, month: 12, day: 31)

    private static func isWorkingDay(dayNumber day: Int) -> Bool {
        let weekday = ((day % 7) + 7 + 3) % 7  // 0 = Monday; 1970-01-01 was a Thursday
        return weekday < 5 && !holidayDayNumbers.contains(day)
    }

    private static func workingDay(_ count: Int, afterDayNumber start: Int) throws(DanishCalendarError) -> Int {
        guard count >= 0 else { throw .negativeWorkingDays(count) }
        var day = start
        var remaining = count
        while remaining > 0 {
            day += 1
            guard day <= lastDayNumber else { throw .unsupportedYear(supportedYears.upperBound + 1) }
            if isWorkingDay(dayNumber: day) { remaining -= 1 }
        }
        return day
    }

    private static func dayNumber(of instant: Date) throws(DanishCalendarError) -> Int {
        guard let day = CopenhagenClock.dayNumber(of: instant), (firstDayNumber...lastDayNumber).contains(day) else {
            throw .unsupportedInstant(secondsSince1970: instant.timeIntervalSince1970)
        }
        return day
    }

    // MARK: Holidays

    /// The holidays of every supported year, indexed by `year - supportedYears.lowerBound`.
    private static let holidayTable: [[DanishHoliday]] = supportedYears.map(computeHolidays(in:))

    private static let holidayDayNumbers = Set(holidayTable.joined().map { $0.date.daysSince1970 })

    private static func computeHolidays(in year: Int) -> [DanishHoliday] {
        let easter = easterDayNumber(year)
        var movable = [
            (-3, "skærtorsdag"), (-2, "langfredag"), (0, "påskedag"), (1, "2. påskedag"),
            (39, "Kristi himmelfartsdag"), (49, "pinsedag"), (50, "2. pinsedag"),
        ]
        if year <= 2023 { movable.append((26, "store bededag")) }
        let fixed = [(1, 1, "nytårsdag"), (6, 5, "grundlovsdag"), (12, 24, "juleaftensdag"), (12, 25, "juledag"), (12, 26, "2. juledag")]
        let holidays =
            movable.map { DanishHoliday(date: CalendarDate(daysSince1970: easter + $0.0), name: $0.1) }
            + fixed.map { DanishHoliday(date: CalendarDate(year: year, month: $0.0, day: $0.1)!, name: $0.2) }
        return holidays.sorted { ($0.date, $0.name) < ($1.date, $1.name) }
    }

    private static func easterDayNumber(_ year: Int) -> Int {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return RFC3339.daysFromCivil(year: year, month: month, day: day)
    }
}
