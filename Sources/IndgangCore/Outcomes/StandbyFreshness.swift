import Foundation

/// Whether a streaming standby may answer outcome figures, and up to which moment its data is complete — the
/// figures' `as_of`. Decided from what the standby itself reports:
///
/// - not in recovery: the server is a primary (promoted, or never a standby), complete up to `now`;
/// - in recovery, streaming, and it has replayed everything it received: complete up to the primary's last message
///   (`heard`) — on an idle primary the last replayed commit may be hours old while nothing is missing, so the
///   commit time alone would call a perfectly fresh standby stale;
/// - otherwise (replay behind, paused, or the stream broken): complete up to the last replayed commit (`replayed`).
///
/// The lag is `now` minus that moment; above `maxLag`, or when the standby cannot say, figures come from the primary.
public struct StandbyFreshness: Sendable, Equatable {
    /// The moment up to which the standby's data is complete; nil when it cannot tell (nothing replayed yet).
    public let completeUpTo: Date?
    /// `now - completeUpTo`, in seconds; nil when `completeUpTo` is.
    public let lagSeconds: Double?

    public struct Report: Sendable, Equatable {
        public var inRecovery: Bool
        /// The standby's clock.
        public var now: Date
        /// `pg_last_xact_replay_timestamp()`.
        public var replayed: Date?
        /// `pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()`; nil when there is no receiver.
        public var replayedAllReceived: Bool?
        /// `last_msg_receipt_time` of a WAL receiver whose status is `streaming`; nil when none streams.
        public var heard: Date?

        public init(inRecovery: Bool, now: Date, replayed: Date?, replayedAllReceived: Bool?, heard: Date?) {
            self.inRecovery = inRecovery
            self.now = now
            self.replayed = replayed
            self.replayedAllReceived = replayedAllReceived
            self.heard = heard
        }
    }

    public init(_ report: Report) {
        let complete: Date?
        if !report.inRecovery {
            complete = report.now
        } else if let heard = report.heard, report.replayedAllReceived == true {
            complete = max(heard, report.replayed ?? heard)
        } else {
            complete = report.replayed
        }
        // A standby's clock and the primary's commit times come from two machines: never report data from the future.
        completeUpTo = complete.map { min($0, report.now) }
        lagSeconds = completeUpTo.map { max(0, report.now.timeIntervalSince($0)) }
    }

    /// Whether figures may be read there: its data is complete up to at most `maxLag` seconds ago.
    public func isFresh(maxLag: Double) -> Bool {
        guard let lagSeconds else { return false }
        return lagSeconds <= maxLag
    }
}
