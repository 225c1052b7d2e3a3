import Foundation
import IndgangCore
import Testing

@Suite("Acceptance-time histogram")
struct AcceptanceTimeHistogramTests {
    typealias Histogram = AcceptanceTimeHistogram

    /// PostgreSQL's percentile_cont on the exact times.
    static func exactPercentile(_ p: Double, _ sorted: [Double]) -> Double {
        let rank = p * Double(sorted.count - 1)
        let below = sorted[Int(rank.rounded(.down))]
        let above = sorted[Int(rank.rounded(.up))]
        return below + (rank - rank.rounded(.down)) * (above - below)
    }

    @Test("bucket edges: under a minute, a minute, two minutes, the quarter-doublings between, a year and more")
    func edges() {
        #expect(Histogram.bucket(seconds: 0) == 0)
        #expect(Histogram.bucket(seconds: 59.999) == 0)
        #expect(Histogram.bucket(seconds: 60) == 1)
        #expect(Histogram.bucket(seconds: 119.99) == 4)
        #expect(Histogram.bucket(seconds: 120) == 5)
        #expect(Histogram.bucket(seconds: 3600) == 1 + Int(4 * log2(60.0)))
        #expect(Histogram.bucket(seconds: 60 * pow(2, 19)) == Histogram.bucketCount - 1)
        #expect(Histogram.bucket(seconds: 1e12) == Histogram.bucketCount - 1)
        for index in 0..<Histogram.bucketCount {
            let (lower, upper) = Histogram.bounds(index)
            #expect(Histogram.bucket(seconds: lower) == index)
            if upper.isFinite {
                #expect(Histogram.bucket(seconds: upper.nextDown) == index)
                #expect(index == 0 || abs(upper / lower - pow(2, 0.25)) < 1e-12)
            }
        }
    }

    @Test("nothing counted has no percentile; one time is its own bucket's middle")
    func small() throws {
        #expect(Histogram().percentile(0.5) == nil)
        var one = Histogram()
        one.add(seconds: 3 * 3600)
        let estimate = try #require(one.percentile(0.5))
        let (lower, upper) = Histogram.bounds(Histogram.bucket(seconds: 3 * 3600))
        #expect(estimate == (lower * upper).squareRoot())
        #expect(abs(estimate / (3 * 3600) - 1) < 0.19)
    }

    @Test("property: the estimate lies in the buckets of the two ordered times percentile_cont interpolates between")
    func bracketsExact() throws {
        for seed in UInt64(1)...300 {
            var random = SeededRandom(seed: seed)
            let count = 1 + Int(random.unit() * 400)
            // Log-normal around a few hours, with some under a minute and some beyond a year.
            let times = (0..<count).map { _ -> Double in
                switch random.unit() {
                case ..<0.03: return random.unit() * 60
                case ..<0.05: return 60 * pow(2, 19) * (1 + random.unit())
                default: return exp(log(6 * 3600) + 1.5 * (random.unit() + random.unit() + random.unit() - 1.5) * 2)
                }
            }.sorted()
            var histogram = Histogram()
            times.forEach { histogram.add(seconds: $0) }
            #expect(histogram.total == count)
            for p in [0.1, 0.5, 0.9] {
                let estimate = try #require(histogram.percentile(p))
                let rank = p * Double(count - 1)
                let below = times[Int(rank.rounded(.down))]
                let above = times[Int(rank.rounded(.up))]
                let low = Histogram.bounds(Histogram.bucket(seconds: below)).lower
                let high = Histogram.bounds(Histogram.bucket(seconds: above)).upper
                #expect(estimate >= low && estimate <= high, "seed \(seed), p \(p): \(estimate) not in [\(low), \(high)]")
                let exact = Self.exactPercentile(p, times)
                if Histogram.bucket(seconds: below) == Histogram.bucket(seconds: above), Histogram.bounds(Histogram.bucket(seconds: below)).upper.isFinite,
                    exact >= 60
                {
                    #expect(abs(estimate / exact - 1) < 0.19, "seed \(seed), p \(p): \(estimate) vs exact \(exact)")
                }
            }
        }
    }

    @Test("counts are padded to every bucket, cut after the last, and never below zero")
    func counts() {
        #expect(Histogram(counts: [1, 2]).counts.count == Histogram.bucketCount)
        #expect(Histogram(counts: Array(repeating: 1, count: 100)).total == Histogram.bucketCount)
        #expect(Histogram(counts: [-1, 0, 3]).total == 3)
        #expect(Histogram(counts: [-1, 0, 3]).percentile(0.5) == Histogram(counts: [0, 0, 3]).percentile(0.5))
    }

    @Test("histograms add up: counting parts separately and summing the counts gives the same percentiles")
    func additive() {
        var random = SeededRandom(seed: 7)
        var whole = Histogram()
        var parts = [Histogram(), Histogram(), Histogram()]
        for _ in 0..<500 {
            let seconds = random.exponential(mean: 8 * 3600)
            whole.add(seconds: seconds)
            parts[Int(random.unit() * 3)].add(seconds: seconds)
        }
        let summed = Histogram(counts: (0..<Histogram.bucketCount).map { index in parts.reduce(0) { $0 + $1.counts[index] } })
        #expect(summed == whole)
        #expect(summed.percentile(0.9) == whole.percentile(0.9))
    }
}
