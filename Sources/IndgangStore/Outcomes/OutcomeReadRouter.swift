import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// Where outcome figures are read (API.md "Several replicas and a standby"): on the streaming standby at
/// `INDGANG_READ_DATABASE_URL` while its data is at most `maxLag` seconds old, with `as_of` the moment up to which
/// it is complete (`StandbyFreshness`); otherwise — no standby configured, lagging, unreachable, or failing the
/// query — on the primary with `as_of` now. Coordinators' heavy queries thereby stay off the primary that the
/// caseworkers write to, and a standby in trouble costs a figure nothing but its offload.
public actor OutcomeReadRouter {
    public enum Source: String, Sendable { case standby, primary }

    /// What a read was answered from, for the caller's metrics.
    public struct Answered<Value: Sendable>: Sendable {
        public let value: Value
        public let source: Source
        /// The standby's lag when it was asked, in seconds (nil: no standby, or it could not say).
        public let standbyLag: Double?
    }

    private let primary: any OutcomeRepository
    private let standby: (outcomes: any OutcomeRepository, database: Database)?
    private let maxLag: Double
    private let logger: Logger
    /// The last look at the standby, reused for `recheckAfter` (one cheap query per second, not one per figure);
    /// a failed look (nil) likewise, so a standby that is down does not make every figure wait for `checkDeadline`.
    private var lastCheck: (at: ContinuousClock.Instant, freshness: StandbyFreshness?)?
    private var checking: Task<StandbyFreshness?, Never>?

    static let recheckAfter = Duration.seconds(1)
    static let checkDeadline = Duration.seconds(1)

    public init(primary: any OutcomeRepository, standby: (outcomes: any OutcomeRepository, database: Database)?, maxLag: Duration, logger: Logger) {
        self.primary = primary
        self.standby = standby
        self.maxLag = Double(maxLag.components.seconds) + Double(maxLag.components.attoseconds) / 1e18
        self.logger = logger
    }

    /// Runs `body` with the repository to read from and the `as_of` to compute the figures at.
    public nonisolated func read<Value: Sendable>(
        _ body: @escaping @Sendable (_ outcomes: any OutcomeRepository, _ asOf: Date) async throws -> Value
    ) async throws -> Answered<Value> {
        guard let standby else { return Answered(value: try await body(primary, Date()), source: .primary, standbyLag: nil) }
        let (freshness, age) = await look()
        let lag = freshness?.lagSeconds.map { $0 + age }
        if let freshness, let complete = freshness.completeUpTo, let lag, lag <= maxLag {
            do {
                return Answered(value: try await body(standby.outcomes, complete), source: .standby, standbyLag: lag)
            } catch let error where Self.isStandbyTrouble(error) {
                logger.warning("standby read failed; answering from the primary", metadata: ["error": "\(String(reflecting: error).prefix(200))"])
                await forget()
            }
        }
        return Answered(value: try await body(primary, Date()), source: .primary, standbyLag: lag)
    }

    /// The standby's freshness and how old that look is, in seconds; one look at a time, shared by concurrent reads.
    private func look() async -> (StandbyFreshness?, Double) {
        if let lastCheck, ContinuousClock.now - lastCheck.at < Self.recheckAfter {
            let age = ContinuousClock.now - lastCheck.at
            return (lastCheck.freshness, Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
        }
        if let checking { return (await checking.value, 0) }
        let task = Task { await self.check() }
        checking = task
        let freshness = await task.value
        lastCheck = (ContinuousClock.now, freshness)
        checking = nil
        return (freshness, 0)
    }

    private func forget() {
        lastCheck = (ContinuousClock.now, nil)
    }

    private func check() async -> StandbyFreshness? {
        guard let database = standby?.database else { return nil }
        do {
            let report = try await Deadline.run(within: Self.checkDeadline) { try await Self.report(database) }
            return StandbyFreshness(report)
        } catch {
            logger.warning("standby unreachable; outcome figures come from the primary", metadata: ["error": "\(String(reflecting: error).prefix(200))"])
            return nil
        }
    }

    /// What the standby says about its replay, in one round trip.
    static func report(_ database: Database) async throws -> StandbyFreshness.Report {
        let rows = try await database.client.query(
            """
            SELECT pg_is_in_recovery(), now(), pg_last_xact_replay_timestamp(),
                   pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
                   (SELECT last_msg_receipt_time FROM pg_stat_wal_receiver WHERE status = 'streaming')
            """, logger: database.logger)
        for try await (inRecovery, now, replayed, replayedAll, heard) in rows.decode((Bool, Date, Date?, Bool?, Date?).self) {
            return .init(inRecovery: inRecovery, now: now, replayed: replayed, replayedAllReceived: replayedAll, heard: heard)
        }
        throw DatabaseReportMissing()
    }

    struct DatabaseReportMissing: Error {}

    /// A failure of the standby rather than of the query: worth answering from the primary instead. Includes a query
    /// cancelled by a conflict with recovery (`40001` on a standby: replay needed rows the query was reading).
    static func isStandbyTrouble(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if DatabaseFailure(error) == .unreachable { return true }
        guard let state = (error as? PSQLError)?.sqlState else { return false }
        return state == "40001"
    }
}
