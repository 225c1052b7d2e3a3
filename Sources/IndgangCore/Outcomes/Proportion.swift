import Foundation

/// A count out of a count, with Wilson's 95 % score interval (good coverage also for small counts and for
/// rates near 0 or 1, where the textbook Wald interval fails).
public struct Proportion: Sendable, Equatable {
    public let numerator: Int
    public let denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        precondition(numerator >= 0 && numerator <= denominator)
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The two-sided 95 % normal quantile.
    public static let z = 1.959963984540054

    public var rate: Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    public var wilson95: ClosedRange<Double>? {
        guard denominator > 0 else { return nil }
        let n = Double(denominator)
        let p = Double(numerator) / n
        let z2 = Self.z * Self.z
        let scale = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / scale
        let half = Self.z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / scale
        return max(0, centre - half)...min(1, centre + half)
    }

    /// `other.rate − self.rate` with Newcombe's hybrid score interval (his method 10), built from the two
    /// Wilson intervals: the interval the labs need to ask "did the new practice change the rate?".
    public func difference(to other: Proportion) -> (estimate: Double, ci95: ClosedRange<Double>)? {
        guard let p1 = rate, let p2 = other.rate, let ci1 = wilson95, let ci2 = other.wilson95 else { return nil }
        let estimate = p2 - p1
        let below = ((p2 - ci2.lowerBound) * (p2 - ci2.lowerBound) + (ci1.upperBound - p1) * (ci1.upperBound - p1)).squareRoot()
        let above = ((ci2.upperBound - p2) * (ci2.upperBound - p2) + (p1 - ci1.lowerBound) * (p1 - ci1.lowerBound)).squareRoot()
        return (estimate, max(-1, estimate - below)...min(1, estimate + above))
    }
}
