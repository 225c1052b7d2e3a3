/// Statistical disclosure control for every coordinator output: a count from 1 to 4 could identify a
/// citizen, so it is never shown, nor is anything it could be recomputed from (API.md, Outcomes).
public enum SmallCells {
    public static let hidden = 1...4

    public static func hides(_ count: Int) -> Bool { hidden.contains(count) }

    /// `count`, or nil when it must not be shown.
    public static func shown(_ count: Int) -> Int? { hides(count) ? nil : count }
}
