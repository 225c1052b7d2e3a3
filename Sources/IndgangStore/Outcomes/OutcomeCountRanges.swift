import IndgangCore

/// Which rows of `outcome_counts` cover the days `first...last`: month rows for every whole month inside,
/// day rows for the rest. A month that a boundary cuts (a `compare=period:` date, or the first day of a variant's
/// tenure, other than a month's first day) is read day by day, so each row lies wholly on one side of it.
struct OutcomeCountRanges: Equatable {
    enum Grain: String { case day, month }

    struct Range: Equatable {
        let grain: Grain
        let first: CalendarDate
        let last: CalendarDate
    }

    private(set) var ranges: [Range] = []

    init(first: CalendarDate, last: CalendarDate, boundaries: [CalendarDate] = []) {
        var cursor = first
        while cursor <= last {
            let monthEnd = cursor.lastOfMonth
            let cut = boundaries.contains { cursor < $0 && $0 <= monthEnd }
            if cursor == cursor.firstOfMonth, monthEnd <= last, !cut {
                append(.month, cursor, monthEnd)
                cursor = monthEnd.adding(days: 1)
            } else {
                let end = min(last, monthEnd)
                append(.day, cursor, end)
                cursor = end.adding(days: 1)
            }
        }
    }

    /// Adds `first...last`, joining it to the last range when that has the same grain and ends the day before.
    private mutating func append(_ grain: Grain, _ first: CalendarDate, _ last: CalendarDate) {
        if let previous = ranges.last, previous.grain == grain, previous.last.adding(days: 1) == first {
            ranges[ranges.count - 1] = Range(grain: grain, first: previous.first, last: last)
        } else {
            ranges.append(Range(grain: grain, first: first, last: last))
        }
    }
}
