/// Statistical disclosure control for every coordinator output (API.md, "Disclosure control for
/// coordinators"), applied to a whole answer at once, not cell by cell:
///
/// - **primary**: a count from 1 to 4 could single out a citizen, so it is hidden;
/// - **linked**: a group whose denominator is hidden hides its numerator too (with the rate and interval);
/// - **complementary**: within one answer, when exactly one cell of a column is hidden, or the hidden cells of
///   a column add up to 1–4, the next smallest visible non-zero cell of that column is hidden too, so that no
///   total minus the visible groups recovers a small count;
/// - **small population**: a filtered population with fewer than 5 episodes hides everything.
public enum DisclosureControl {
    public static let threshold = 5

    /// Which cells of `table` (rows of counts, one column per count) must be hidden. `numerator` and
    /// `denominator` name the linked columns.
    public static func hidden(_ table: [[Int]], numerator: Int, denominator: Int, hideEverything: Bool = false) -> [[Bool]] {
        if hideEverything { return table.map { $0.map { _ in true } } }
        var hidden = table.map { $0.map(SmallCells.hides) }
        // The denominator first: the numerators it hides with it often protect the numerator column already.
        let columns = [denominator] + (table.first?.indices ?? 0..<0).filter { $0 != denominator }
        var changed = true
        while changed {
            changed = false
            for column in columns {
                for row in table.indices where hidden[row][denominator] && !hidden[row][numerator] {
                    hidden[row][numerator] = true
                    changed = true
                }
                while let extra = complement(column, table, hidden) {
                    hidden[extra][column] = true
                    changed = true
                }
            }
        }
        return hidden
    }

    /// The row whose cell in `column` must be hidden next, or nil when the column is safe.
    static func complement(_ column: Int, _ table: [[Int]], _ hidden: [[Bool]]) -> Int? {
        let hiddenRows = table.indices.filter { hidden[$0][column] }
        guard !hiddenRows.isEmpty else { return nil }
        let sum = hiddenRows.reduce(0) { $0 + table[$1][column] }
        guard hiddenRows.count == 1 || SmallCells.hides(sum) else { return nil }
        return table.indices.filter { !hidden[$0][column] && table[$0][column] > 0 }.min { (table[$0][column], $0) < (table[$1][column], $1) }
    }

    /// The figures of one answer: `counts` are (key, numerator, denominator, censored); with
    /// `smallPopulation` (a filter whose population has fewer than 5 episodes) every group is suppressed.
    public static func figures(_ counts: [(key: String, numerator: Int, denominator: Int, censored: Int)], smallPopulation: Bool) -> [OutcomeFigure] {
        let table = counts.map { [$0.numerator, $0.denominator, $0.censored] }
        let mask = hidden(table, numerator: 0, denominator: 1, hideEverything: smallPopulation)
        return counts.indices.map { row in
            OutcomeFigure(
                key: counts[row].key, numerator: counts[row].numerator, denominator: counts[row].denominator, censored: counts[row].censored,
                hidden: (mask[row][0], mask[row][1], mask[row][2]))
        }
    }

    /// A filter's population is too small to publish anything about it.
    public static func isSmall(population: Int) -> Bool { population < threshold }
}
