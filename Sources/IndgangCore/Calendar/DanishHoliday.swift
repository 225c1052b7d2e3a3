import Foundation

/// A Danish public holiday on which no working day falls, by its Danish name (`påskedag`, `2. juledag`).
public struct DanishHoliday: Sendable, Hashable {
    public let date: CalendarDate
    public let name: String

    public init(date: CalendarDate, name: String) {
        self.date = date
        self.name = name
    }
}
