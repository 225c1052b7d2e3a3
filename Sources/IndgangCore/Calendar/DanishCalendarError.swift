import Foundation

/// Why the Danish calendar cannot answer: the question lies outside `DanishCalendar.supportedYears`.
public enum DanishCalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A year (asked for, or reached by counting working days) outside the supported years.
    case unsupportedYear(Int)
    /// An instant whose Copenhagen date lies outside the supported years, or that is not finite. It is kept as a
    /// number because `Date.description` traps on a `Date` that is not finite.
    case unsupportedInstant(secondsSince1970: TimeInterval)
    case negativeWorkingDays(Int)

    public var description: String {
        let years = "\(DanishCalendar.supportedYears.lowerBound)–\(DanishCalendar.supportedYears.upperBound)"
        switch self {
        case .unsupportedYear(let year): return "year \(year) is outside the supported years \(years)"
        case .unsupportedInstant(let seconds):
            return "the instant \(seconds) s after 1970 is outside the supported years \(years)"
        case .negativeWorkingDays(let count): return "working days must not be negative (got \(count))"
        }
    }
}
