import Foundation

/// The due rule `due: {working_days: N, at: "HH:MM"}`: HH:MM Copenhagen time on the Nth Danish working day
/// after the triggering event's date. Parsing the rule file is the rule parser's job; this is its value.
public struct WorkingDayDue: Sendable, Hashable {
    public let workingDays: Int
    public let at: LocalTimeOfDay

    /// Nil when `workingDays` is negative.
    public init?(workingDays: Int, at: LocalTimeOfDay) {
        guard workingDays >= 0 else { return nil }
        self.workingDays = workingDays
        self.at = at
    }

    /// When a handoff requested by an event that occurred at `event` falls due.
    public func dueAt(after event: Date) throws(DanishCalendarError) -> Date {
        try DanishCalendar.due(after: event, workingDays: workingDays, at: at)
    }
}
