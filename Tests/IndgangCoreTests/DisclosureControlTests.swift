import IndgangCore
import Testing

@Suite("Disclosure control")
struct DisclosureControlTests {
    @Test("one small cell among groups takes the next smallest with it; a numerator goes with a hidden denominator")
    func complementary() {
        let figures = DisclosureControl.figures(
            [("101", 6, 40, 0), ("147", 9, 12, 0), ("219", 1, 3, 0), ("561", 0, 25, 0)], smallPopulation: false)
        #expect(figures.map(\.suppressed) == [false, true, true, false])
        #expect(figures[2].denominator == nil && figures[1].denominator == nil)
        #expect(figures[0].numerator == 6 && figures[3].numerator == 0 && figures[3].denominator == 25)
    }

    @Test("hidden cells that add up to 1–4 hide one more")
    func smallSums() {
        // Two numerators 1 and 2 are hidden (sum 3): a third must go, or total − visible gives 3.
        let mask = DisclosureControl.hidden([[1, 10], [2, 10], [7, 10], [9, 10]], numerator: 0, denominator: 1)
        #expect(mask.map { $0[0] } == [true, true, true, false])
        #expect(mask.map { $0[1] } == [false, false, false, false])
    }

    @Test("a small filtered population hides everything")
    func smallPopulation() {
        let figures = DisclosureControl.figures([("2024-01", 0, 3, 1), ("2024-02", 0, 0, 0)], smallPopulation: true)
        #expect(figures.allSatisfy { $0.suppressed && $0.numerator == nil && $0.denominator == nil && $0.censored == nil })
    }

    @Test("property: shown cells are exact, small cells hidden, and no column's hidden cells can be recovered by subtraction", arguments: 0..<300)
    func property(seed: UInt64) {
        var random = SeededRandom(seed: seed, stream: 7)
        let rows = 1 + Int(random.unit() * 12)
        let table: [[Int]] = (0..<rows).map { _ in
            let denominator = random.chance(0.3) ? Int(random.unit() * 6) : Int(random.unit() * 60)
            let numerator = random.chance(0.3) ? min(denominator, Int(random.unit() * 5)) : Int(random.unit() * Double(denominator + 1))
            return [numerator, denominator, Int(random.unit() * 8)]
        }
        let mask = DisclosureControl.hidden(table, numerator: 0, denominator: 1)
        for row in table.indices {
            for column in 0..<3 where SmallCells.hides(table[row][column]) { #expect(mask[row][column]) }
            if mask[row][1] { #expect(mask[row][0]) }
        }
        guard rows > 1 else { return }
        for column in 0..<3 {
            let hidden = table.indices.filter { mask[$0][column] }
            let visibleNonZero = table.indices.contains { !mask[$0][column] && table[$0][column] > 0 }
            guard !hidden.isEmpty, visibleNonZero else { continue }
            #expect(hidden.count > 1, "seed \(seed) column \(column): \(table) \(mask)")
            #expect(!SmallCells.hides(hidden.reduce(0) { $0 + table[$1][column] }), "seed \(seed) column \(column): \(table) \(mask)")
        }
    }
}
