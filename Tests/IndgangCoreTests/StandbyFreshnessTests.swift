import Foundation
import IndgangCore
import Testing

@Suite("Standby freshness")
struct StandbyFreshnessTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a primary is complete up to now")
    func primary() {
        let freshness = StandbyFreshness(.init(inRecovery: false, now: now, replayed: nil, replayedAllReceived: nil, heard: nil))
        #expect(freshness.completeUpTo == now && freshness.lagSeconds == 0 && freshness.isFresh(maxLag: 0))
    }

    @Test("a caught-up standby of an idle primary is fresh although its last replayed commit is old")
    func idlePrimary() {
        let report = StandbyFreshness.Report(
            inRecovery: true, now: now, replayed: now.addingTimeInterval(-7200), replayedAllReceived: true, heard: now.addingTimeInterval(-3))
        let freshness = StandbyFreshness(report)
        #expect(freshness.completeUpTo == now.addingTimeInterval(-3))
        #expect(freshness.isFresh(maxLag: 60))
    }

    @Test("paused or lagging replay counts from the last replayed commit")
    func paused() {
        let report = StandbyFreshness.Report(
            inRecovery: true, now: now, replayed: now.addingTimeInterval(-90), replayedAllReceived: false, heard: now.addingTimeInterval(-1))
        let freshness = StandbyFreshness(report)
        #expect(freshness.completeUpTo == now.addingTimeInterval(-90) && freshness.lagSeconds == 90)
        #expect(!freshness.isFresh(maxLag: 60) && freshness.isFresh(maxLag: 120))
    }

    @Test("a broken stream is trusted only up to the last replayed commit; nothing replayed is never fresh")
    func broken() {
        let lost = StandbyFreshness(.init(inRecovery: true, now: now, replayed: now.addingTimeInterval(-5), replayedAllReceived: true, heard: nil))
        #expect(lost.completeUpTo == now.addingTimeInterval(-5))
        let empty = StandbyFreshness(.init(inRecovery: true, now: now, replayed: nil, replayedAllReceived: nil, heard: nil))
        #expect(empty.completeUpTo == nil && empty.lagSeconds == nil && !empty.isFresh(maxLag: 1_000_000))
    }

    @Test("property: never complete beyond the standby's clock, lag never negative, fresh exactly when lag ≤ max", arguments: 0..<200)
    func property(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        func moment() -> Date? { random.next() % 5 == 0 ? nil : now.addingTimeInterval(Double(Int(random.next() % 400)) - 300) }
        let report = StandbyFreshness.Report(
            inRecovery: random.next() % 4 != 0, now: now, replayed: moment(),
            replayedAllReceived: random.next() % 3 == 0 ? nil : random.next() % 2 == 0, heard: moment())
        let freshness = StandbyFreshness(report)
        let maxLag = Double(random.next() % 200)
        if let complete = freshness.completeUpTo, let lag = freshness.lagSeconds {
            #expect(complete <= now && lag >= 0 && lag == now.timeIntervalSince(complete))
            #expect(freshness.isFresh(maxLag: maxLag) == (lag <= maxLag))
            // Never more complete than what the standby has replayed or heard (a primary: now).
            let bound = [report.replayed, report.heard].compactMap { $0 }.max()
            #expect(!report.inRecovery || (bound.map { complete <= $0 } ?? false))
        } else {
            #expect(report.inRecovery && !freshness.isFresh(maxLag: maxLag))
        }
    }
}

