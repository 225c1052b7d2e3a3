import IndgangCore
@testable import IndgangStore
import Testing

@Suite("Outcome count ranges: month rows for whole months, day rows for the rest")
struct OutcomeCountRangesTests {
    private static func date(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test("a range of whole months and partial ends")
    func partialEnds() {
        let ranges = OutcomeCountRanges(first: Self.date("2024-01-15"), last: Self.date("2024-04-10")).ranges
        #expect(
            ranges == [
                .init(grain: .day, first: Self.date("2024-01-15"), last: Self.date("2024-01-31")),
                .init(grain: .month, first: Self.date("2024-02-01"), last: Self.date("2024-03-31")),
                .init(grain: .day, first: Self.date("2024-04-01"), last: Self.date("2024-04-10")),
            ])
    }

    @Test("a period boundary inside a month turns that month into days; on the first it does not")
    func boundary() {
        let cut = OutcomeCountRanges(first: Self.date("2024-01-01"), last: Self.date("2024-03-31"), boundaries: [Self.date("2024-02-10")]).ranges
        #expect(
            cut == [
                .init(grain: .month, first: Self.date("2024-01-01"), last: Self.date("2024-01-31")),
                .init(grain: .day, first: Self.date("2024-02-01"), last: Self.date("2024-02-29")),
                .init(grain: .month, first: Self.date("2024-03-01"), last: Self.date("2024-03-31")),
            ])
        let onFirst = OutcomeCountRanges(first: Self.date("2024-01-01"), last: Self.date("2024-03-31"), boundaries: [Self.date("2024-02-01")]).ranges
        #expect(onFirst == [.init(grain: .month, first: Self.date("2024-01-01"), last: Self.date("2024-03-31"))])
    }

    @Test("an empty range has no rows to read")
    func empty() {
        #expect(OutcomeCountRanges(first: Self.date("2024-05-02"), last: Self.date("2024-05-01")).ranges.isEmpty)
    }

    @Test("any range is covered day by day exactly once, months whole and never cut by the boundary", arguments: 0..<200)
    func coverage(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let first = Self.date("2020-01-01").adding(days: Int(random.next() % 800))
        let last = first.adding(days: Int(random.next() % 500) - 20)
        let boundary = random.next() % 3 == 0 ? nil : first.adding(days: Int(random.next() % 520) - 10)
        let ranges = OutcomeCountRanges(first: first, last: last, boundaries: boundary.map { [$0] } ?? []).ranges

        var expected = first
        for (index, range) in ranges.enumerated() {
            #expect(range.first == expected)
            #expect(range.first <= range.last)
            if range.grain == .month {
                #expect(range.first == range.first.firstOfMonth && range.last == range.last.lastOfMonth)
                if let boundary { #expect(!(range.first < boundary && boundary <= range.last && boundary != boundary.firstOfMonth)) }
            }
            if index > 0 { #expect(ranges[index - 1].grain != range.grain) }
            expected = range.last.adding(days: 1)
        }
        #expect(ranges.isEmpty ? last < first : expected == last.adding(days: 1))
    }
}
