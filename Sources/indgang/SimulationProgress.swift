import Foundation
import NIOConcurrencyHelpers

/// Progress of a long simulation on stderr (at most every two seconds), and the summary on stdout.
final class SimulationProgress: Sendable {
    struct Totals: Sendable {
        var citizens = 0
        var accepted = 0
        var replayed = 0
        var rejected = 0

        var events: Int { accepted + replayed + rejected }

        mutating func add(_ other: Totals) {
            citizens += other.citizens
            accepted += other.accepted
            replayed += other.replayed
            rejected += other.rejected
        }
    }

    let citizens: Int
    let started = Date()
    private let lastReport = NIOLockedValueBox(Date.distantPast)

    init(citizens: Int) {
        self.citizens = citizens
    }

    func report(_ totals: Totals) {
        let now = Date()
        guard lastReport.withLockedValue({ last in
            guard now.timeIntervalSince(last) >= 2 else { return false }
            last = now
            return true
        }) else { return }
        let elapsed = now.timeIntervalSince(started)
        let rate = Double(totals.events) / max(elapsed, 0.001)
        let remaining = totals.citizens > 0 ? elapsed * Double(citizens - totals.citizens) / Double(totals.citizens) : 0
        FileHandle.standardError.write(
            Data("simulate: \(totals.citizens)/\(citizens) citizens, \(totals.events) events, \(Int(rate)) events/s, about \(Int(remaining)) s left\n".utf8))
    }

    func finish(_ totals: Totals) {
        let elapsed = Date().timeIntervalSince(started)
        print(
            "citizens \(totals.citizens) events \(totals.events) accepted \(totals.accepted) replayed \(totals.replayed) rejected \(totals.rejected) "
                + "seconds \(String(Int(elapsed))) events_per_second \(Int(Double(totals.events) / max(elapsed, 0.001)))")
    }
}
