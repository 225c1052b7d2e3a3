import Foundation

/// Times from a handoff's request to its acceptance, counted in buckets, from which the median and the 90th
/// percentile are read. Exact percentiles need every single time, which over years of handoffs is far too
/// many to sort per question; counts per bucket add up across days, months, actors and municipalities.
///
/// Bucket 0 holds times under a minute; bucket k (1…76) holds [1 min · 2^((k−1)/4), 1 min · 2^(k/4)), each a
/// quarter of a doubling (19 % wide); bucket 77 holds a year (2^19 minutes) and more. Migration 0010's
/// `handoff_wait_bucket` is the same rule in SQL (there 1-based, as SQL arrays are).
public struct AcceptanceTimeHistogram: Sendable, Equatable {
    public static let bucketCount = 78
    public static let bucketsPerDoubling = 4
    /// The upper bound of the first bucket, the lower bound of the second.
    public static let firstBoundSeconds = 60

    public private(set) var counts: [Int]

    /// Counts per bucket; missing trailing buckets are 0, and so is a negative count (a delta row whose
    /// partner lies outside the rows that were added up cannot make a bucket less than empty).
    public init(counts: [Int] = []) {
        var counts = counts.prefix(Self.bucketCount).map { max(0, $0) }
        counts += Array(repeating: 0, count: Self.bucketCount - counts.count)
        self.counts = counts
    }

    public var total: Int { counts.reduce(0, +) }

    public mutating func add(seconds: Double) {
        counts[Self.bucket(seconds: seconds)] += 1
    }

    /// The lower bounds of buckets 1…77: one minute times 2^(k/4) for k = 0…76, computed as SQL computes them.
    static let edges: [Double] = (0...(bucketCount - 2)).map { Double(firstBoundSeconds) * pow(2, Double($0) / Double(bucketsPerDoubling)) }

    /// The number of edges at or below `seconds`, as SQL's `width_bucket` counts them.
    public static func bucket(seconds: Double) -> Int {
        var (low, high) = (0, edges.count)
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The times bucket `index` holds: lower bound included, upper bound excluded (infinite for the last).
    public static func bounds(_ index: Int) -> (lower: Double, upper: Double) {
        (index == 0 ? 0 : edges[index - 1], index == edges.count ? .infinity : edges[index])
    }

    /// The `p`-quantile as PostgreSQL's `percentile_cont` would give it from the exact times (interpolating
    /// between the two nearest ordered times), with each ordered time estimated from its bucket: the times in
    /// a bucket are taken as spread evenly on a log scale (evenly in the first). The estimate lies between
    /// the lower bound of the bucket of the ordered time below and the upper bound of the bucket of the one
    /// above, so when both share a bucket it is within 19 % of the exact value. Times in the last bucket
    /// count as its lower bound, a year. Nil when nothing was counted.
    public func percentile(_ p: Double) -> Double? {
        let n = total
        guard n > 0 else { return nil }
        let rank = p * Double(n - 1)
        let below = estimatedTime(atRank: Int(rank.rounded(.down)))
        let above = estimatedTime(atRank: Int(rank.rounded(.up)))
        return below + (rank - rank.rounded(.down)) * (above - below)
    }

    /// The time of the `rank`-th (0-based) ordered time, placed within its bucket.
    private func estimatedTime(atRank rank: Int) -> Double {
        var before = 0
        for (index, count) in counts.enumerated() where count > 0 {
            if rank < before + count {
                let position = (Double(rank - before) + 0.5) / Double(count)
                let (lower, upper) = Self.bounds(index)
                if index == 0 { return lower + position * (upper - lower) }
                if upper.isInfinite { return lower }
                return lower * pow(upper / lower, position)
            }
            before += count
        }
        return Self.bounds(Self.bucketCount - 1).lower
    }
}
