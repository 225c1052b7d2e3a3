import Foundation

/// Copenhagen wall-clock arithmetic on plain integers, for the working-day calendar's hot paths: a *day number*
/// counts days since 1970-01-01 and *local seconds* count wall-clock seconds since 1970-01-01 00:00 local time.
/// Only `TimeZone.secondsFromGMT(for:)` is asked (the zone's rules stay Foundation's), never a `Calendar`.
enum CopenhagenClock {
    /// Instants further out are refused before any conversion to `Int` could overflow.
    private static let saneSeconds = -1e11...1e11

    /// The Copenhagen day number of `instant`; nil when it is not finite or absurdly far away.
    static func dayNumber(of instant: Date) -> Int? {
        guard saneSeconds.contains(instant.timeIntervalSince1970) else { return nil }
        return CalendarDate.dayNumber(of: instant, in: CalendarDate.denmark)
    }

    /// The instant at which Copenhagen clocks show `local`. A time skipped by a move to summer time is read with
    /// the offset in force before the change (02:30 becomes 03:30 summer time, as a clock left unadjusted would
    /// show); a time shown twice when summer time ends is its first occurrence.
    static func instant(atLocalSeconds local: Int) -> Date {
        let offsetBefore = offset(at: Double(local - 43_200))
        let offsetAfter = offset(at: Double(local + 43_200))
        let first = local - max(offsetBefore, offsetAfter)
        let second = local - min(offsetBefore, offsetAfter)
        if shows(local, at: first) { return Date(timeIntervalSince1970: Double(first)) }
        if shows(local, at: second) { return Date(timeIntervalSince1970: Double(second)) }
        return Date(timeIntervalSince1970: Double(local - offsetBefore))
    }

    private static func shows(_ local: Int, at seconds: Int) -> Bool {
        seconds + offset(at: Double(seconds)) == local
    }

    private static func offset(at seconds: Double) -> Int {
        CalendarDate.denmark.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
    }
}
