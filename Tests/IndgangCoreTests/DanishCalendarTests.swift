import Foundation
import IndgangCore
import Testing

@Suite("Danish working-day calendar")
struct DanishCalendarTests {
    static let easterSundays = [
        (2020, "2020-04-12"), (2021, "2021-04-04"), (2022, "2022-04-17"), (2023, "2023-04-09"), (2024, "2024-03-31"),
        (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2028, "2028-04-16"), (2029, "2029-04-01"),
        (2030, "2030-04-21"), (1900, "1900-04-15"), (2000, "2000-04-23"), (2008, "2008-03-23"), (2038, "2038-04-25"),
    ]

    @Test("Easter Sunday of known years", arguments: easterSundays)
    func easter(year: Int, expected: String) throws {
        #expect(try DanishCalendar.easterSunday(in: year) == date(expected))
    }

    @Test("the holidays of 2020–2030 follow Easter, with store bededag until 2023 only", arguments: easterSundays.prefix(11))
    func holidaysOfKnownYears(year: Int, easterText: String) throws {
        let easter = date(easterText)
        var expected: [(CalendarDate, String)] = [
            (date("\(year)-01-01"), "nytårsdag"), (easter.adding(days: -3), "skærtorsdag"), (easter.adding(days: -2), "langfredag"),
            (easter, "påskedag"), (easter.adding(days: 1), "2. påskedag"), (easter.adding(days: 39), "Kristi himmelfartsdag"),
            (easter.adding(days: 49), "pinsedag"), (easter.adding(days: 50), "2. pinsedag"), (date("\(year)-06-05"), "grundlovsdag"),
            (date("\(year)-12-24"), "juleaftensdag"), (date("\(year)-12-25"), "juledag"), (date("\(year)-12-26"), "2. juledag"),
        ]
        if year <= 2023 { expected.append((easter.adding(days: 26), "store bededag")) }
        let holidays = try DanishCalendar.holidays(in: year)
        #expect(Set(holidays) == Set(expected.map { DanishHoliday(date: $0.0, name: $0.1) }))
        #expect(holidays.count == expected.count)
        #expect(zip(holidays, holidays.dropFirst()).allSatisfy { $0.date <= $1.date })
        for holiday in holidays { #expect(!DanishCalendar.isWorkingDay(holiday.date)) }
    }

    @Test("the whole list for 2026")
    func holidays2026() throws {
        let listed = try DanishCalendar.holidays(in: 2026).map { "\($0.date) \($0.name)" }
        #expect(
            listed == [
                "2026-01-01 nytårsdag", "2026-04-02 skærtorsdag", "2026-04-03 langfredag", "2026-04-05 påskedag",
                "2026-04-06 2. påskedag", "2026-05-14 Kristi himmelfartsdag", "2026-05-24 pinsedag", "2026-05-25 2. pinsedag",
                "2026-06-05 grundlovsdag", "2026-12-24 juleaftensdag", "2026-12-25 juledag", "2026-12-26 2. juledag",
            ])
    }

    @Test("store bededag: 5 May 2023 is a holiday, 26 April 2024 an ordinary Friday")
    func storeBededag() throws {
        #expect(try DanishCalendar.holidays(in: 2023).contains(DanishHoliday(date: date("2023-05-05"), name: "store bededag")))
        #expect(try !DanishCalendar.holidays(in: 2024).contains { $0.name == "store bededag" })
        #expect(!DanishCalendar.isWorkingDay(date("2023-05-05")))
        #expect(DanishCalendar.isWorkingDay(date("2024-04-26")))
    }

    @Test("two holidays may share a date: pinsedag and grundlovsdag on 5 June 2022")
    func sharedDate() throws {
        let fifthOfJune = try DanishCalendar.holidays(in: 2022).filter { $0.date == date("2022-06-05") }.map(\.name)
        #expect(fifthOfJune == ["grundlovsdag", "pinsedag"])
    }

    @Test("years outside 1900–2200 fail clearly")
    func unsupportedYears() {
        #expect(throws: DanishCalendarError.unsupportedYear(1899)) { try DanishCalendar.holidays(in: 1899) }
        #expect(throws: DanishCalendarError.unsupportedYear(2201)) { try DanishCalendar.easterSunday(in: 2201) }
        #expect(throws: DanishCalendarError.unsupportedYear(Int.min)) { try DanishCalendar.holidays(in: Int.min) }
        #expect(!DanishCalendar.isWorkingDay(date("2201-01-05")))
        #expect(throws: DanishCalendarError.unsupportedYear(2201)) { try DanishCalendar.workingDay(2, after: date("2200-12-30")) }
        for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e15, 7_300_000_000] {
            let instant = Date(timeIntervalSince1970: seconds)
            #expect(throws: DanishCalendarError.self) { try DanishCalendar.workingSeconds(from: instant, to: instant) }
            #expect(throws: DanishCalendarError.self) { try DanishCalendar.due(after: instant, workingDays: 1, at: noon) }
        }
        #expect(throws: DanishCalendarError.negativeWorkingDays(-1)) {
            try DanishCalendar.due(after: instant("2026-01-05T12:00:00Z"), workingDays: -1, at: noon)
        }
        #expect(WorkingDayDue(workingDays: -1, at: noon) == nil)
    }

    @Test(
        "working days",
        arguments: [
            ("2026-04-01", true), ("2026-04-02", false), ("2026-04-03", false), ("2026-04-06", false), ("2026-04-07", true),
            ("2026-05-14", false), ("2026-05-15", true), ("2026-05-25", false), ("2026-06-05", false), ("2026-12-23", true),
            ("2026-12-24", false), ("2026-12-28", true), ("2026-01-03", false), ("2026-01-04", false), ("2026-01-02", true),
        ])
    func workingDays(text: String, working: Bool) {
        #expect(DanishCalendar.isWorkingDay(date(text)) == working)
    }

    @Test("2026 has 252 working days")
    func workingDaysIn2026() {
        var day = date("2026-01-01")
        var count = 0
        while day.year == 2026 {
            if DanishCalendar.isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        #expect(count == 252)
    }

    @Test(
        "due times across weekends, holidays and daylight-saving changes",
        arguments: [
            // Maundy Thursday: Good Friday, the weekend and Easter Monday are skipped.
            ("2026-04-02T08:00:00Z", 2, "12:00", "2026-04-08T10:00:00Z"),
            ("2026-04-02T08:00:00Z", 0, "12:00", "2026-04-02T10:00:00Z"),
            // Christmas and New Year.
            ("2026-12-23T14:00:00Z", 1, "09:00", "2026-12-28T08:00:00Z"),
            ("2026-12-23T14:00:00Z", 2, "09:00", "2026-12-29T08:00:00Z"),
            ("2026-12-31T10:00:00Z", 1, "12:00", "2027-01-04T11:00:00Z"),
            // Ascension Day; the Friday after is a working day.
            ("2026-05-13T10:00:00Z", 1, "12:00", "2026-05-15T10:00:00Z"),
            // Whitsun: pinsedag is a Sunday, 2. pinsedag the Monday.
            ("2026-05-22T10:00:00Z", 1, "12:00", "2026-05-26T10:00:00Z"),
            // Store bededag 2023, and none in 2024.
            ("2023-05-04T10:00:00Z", 1, "12:00", "2023-05-08T10:00:00Z"),
            ("2024-04-25T10:00:00Z", 1, "12:00", "2024-04-26T10:00:00Z"),
            // Into summer time (29 March 2026) and back to winter time (25 October 2026).
            ("2026-03-27T09:00:00Z", 1, "12:00", "2026-03-30T10:00:00Z"),
            ("2026-10-23T08:00:00Z", 1, "12:00", "2026-10-26T11:00:00Z"),
            // Day 0 is the Copenhagen date, not the UTC date.
            ("2026-03-29T22:30:00Z", 1, "12:00", "2026-03-31T10:00:00Z"),
            ("2026-01-04T23:30:00Z", 0, "08:00", "2026-01-05T07:00:00Z"),
            // N = 0 is the event's own date, even a Saturday, even before the event.
            ("2026-01-03T15:00:00Z", 0, "12:00", "2026-01-03T11:00:00Z"),
            // 02:30 on 29 March 2026 does not exist: 03:30 summer time. 02:30 on 25 October 2026 happens twice: the first.
            ("2026-03-29T10:00:00Z", 0, "02:30", "2026-03-29T01:30:00Z"),
            ("2026-03-29T10:00:00Z", 0, "02:00", "2026-03-29T01:00:00Z"),
            ("2026-03-29T10:00:00Z", 0, "03:00", "2026-03-29T01:00:00Z"),
            ("2026-03-29T10:00:00Z", 0, "01:59", "2026-03-29T00:59:00Z"),
            ("2026-10-25T10:00:00Z", 0, "02:30", "2026-10-25T00:30:00Z"),
            ("2026-10-25T10:00:00Z", 0, "01:59", "2026-10-24T23:59:00Z"),
            ("2026-10-25T10:00:00Z", 0, "03:00", "2026-10-25T02:00:00Z"),
        ])
    func dueTimes(event: String, workingDays: Int, at: String, expected: String) throws {
        let time = try #require(LocalTimeOfDay(parsing: at))
        let rule = try #require(WorkingDayDue(workingDays: workingDays, at: time))
        #expect(try RFC3339.format(rule.dueAt(after: instant(event))) == RFC3339.format(instant(expected)))
    }

    static let workingTimes: [(String, String, TimeInterval)] = [
        ("2026-03-27T11:00:00Z", "2026-03-30T10:00:00Z", 86_400),  // Friday noon to Monday noon across summer time
        ("2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z", 5 * 86_400),  // a whole week, 167 clock hours
        ("2026-03-31T22:00:00Z", "2026-04-07T22:00:00Z", 2 * 86_400),  // Easter week: Wednesday and Tuesday only
        ("2026-04-03T10:00:00Z", "2026-04-03T12:00:00Z", 0),  // Good Friday
        ("2026-04-07T10:00:00Z", "2026-04-07T12:30:00Z", 9_000),
        ("2026-10-23T10:00:00Z", "2026-10-26T11:00:00Z", 86_400),  // Friday noon to Monday noon across winter time
        ("2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z", 252 * 86_400),
    ]

    @Test("working time counts whole working days, nothing of weekends and holidays", arguments: workingTimes)
    func workingTime(from: String, to: String, expected: TimeInterval) throws {
        #expect(try DanishCalendar.workingSeconds(from: instant(from), to: instant(to)) == expected)
        #expect(try DanishCalendar.workingSeconds(from: instant(to), to: instant(from)) == -expected)
    }

    @Test(
        "times of day parse exactly HH:MM",
        arguments: [
            ("00:00", true), ("23:59", true), ("12:00", true), ("07:05", true), ("24:00", false), ("12:60", false),
            ("9:00", false), ("12:0", false), ("1200", false), ("12:00 ", false), (" 12:00", false), ("ab:cd", false),
            ("", false), ("-1:00", false), ("１２:００", false), ("12.00", false),
        ])
    func parsing(text: String, valid: Bool) {
        let time = LocalTimeOfDay(parsing: text)
        #expect((time != nil) == valid)
        if let time { #expect(time.description == text) }
    }

    @Test("times of day are validated and ordered")
    func timeOfDay() throws {
        #expect(LocalTimeOfDay(hour: 24, minute: 0) == nil)
        #expect(LocalTimeOfDay(hour: -1, minute: 0) == nil)
        #expect(LocalTimeOfDay(hour: 0, minute: 60) == nil)
        let early = try #require(LocalTimeOfDay(hour: 8, minute: 30))
        #expect(early.description == "08:30")
        #expect(early < noon)
        let rule = try #require(WorkingDayDue(workingDays: 2, at: noon))
        #expect(rule.workingDays == 2 && rule.at == noon)
    }

    private var noon: LocalTimeOfDay { LocalTimeOfDay(hour: 12, minute: 0)! }

    private func date(_ text: String) -> CalendarDate {
        CalendarDate(iso: text)!
    }

    private func instant(_ text: String) -> Date {
        RFC3339.parse(text)!
    }
}
