import Foundation
import IndgangStore
import Logging
import Metrics
import ServiceLifecycle

/// One piece of work repeated every `interval` until graceful shutdown; a failed round is logged and the next one
/// comes round as usual. The deadline sweeper, the outcome compactor and the backlog gauges are built with it.
struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("\(name) failed", metadata: ["error_type": "\(type(of: error))"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

extension PeriodicService {
    /// Marks pending handoffs past their due time as overdue (and escalates them), until none is left: a backlog
    /// after downtime is worked off at once, in batches. Several replicas may sweep at once: the store claims
    /// rows with `SKIP LOCKED`, so each handoff is marked once.
    static func deadlineSweeper(handoffs: any HandoffRepository, interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "deadline sweep", interval: interval, logger: logger) {
            let batch = 500
            while try await handoffs.markOverdue(limit: batch) == batch, !Task.isCancelled {}
        }
    }

    /// Folds the delta rows ingest appends to the pre-aggregated outcome and handoff counts, so a figure reads
    /// about one row per day and group however much was ingested. Safe with several replicas (the store skips
    /// while another holds the compaction lock); figures are exact whether or not it has run.
    static func outcomeCompactor(outcomes: any OutcomeRepository, interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "outcome compaction", interval: interval, logger: logger) {
            let folded = try await outcomes.compact()
            if folded > 0 { logger.debug("outcome counts compacted", metadata: ["rows": "\(folded)"]) }
        }
    }

    /// The webhook outbox's backlog for `/metrics`, read here rather than at scrape time: a scrape needs no key,
    /// so it must cost no query (and must answer while the database does not).
    static func backlogGauges(subscriptions: any SubscriptionRepository, interval: Duration, logger: Logger) -> PeriodicService {
        let pending = Gauge(label: "indgang_webhook_pending_deliveries")
        let oldest = Gauge(label: "indgang_webhook_oldest_pending_seconds")
        return PeriodicService(name: "webhook backlog gauges", interval: interval, logger: logger) {
            let backlog = try await Deadline.run(within: .seconds(5)) { try await subscriptions.backlog() }
            pending.record(backlog.pending)
            oldest.record(backlog.oldestAge)
        }
    }
}
