import Foundation
import IndgangStore
import Logging
import Metrics
import NIOConcurrencyHelpers
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

    /// Keeps the audit log's monthly partitions: the coming months exist before a row needs them, and with
    /// `INDGANG_AUDIT_RETENTION_MONTHS` whole months past retention are dropped. Several replicas may run it: the
    /// SQL takes the table's lock and does nothing that is already done.
    static func auditPartitions(_ partitions: AuditPartitions, retentionMonths: Int?, interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "audit partition maintenance", interval: interval, logger: logger) {
            let (created, dropped) = try await partitions.maintain(retentionMonths: retentionMonths)
            if created > 0 || !dropped.isEmpty {
                logger.notice("audit log partitions maintained", metadata: ["created": "\(created)", "dropped": "\(dropped.joined(separator: ","))"])
            }
        }
    }

    /// Records this replica's rule set digest and exports, per digest, how many live replicas run it
    /// (`indgang_rule_set_replicas{digest}`) and how many different ones are in use (`indgang_rule_set_digests`:
    /// anything above 1 means replicas decide differently — alert on it).
    static func ruleSetAgreement(registry: PostgresRuleSetRegistry, digest: String, interval: Duration, logger: Logger) -> PeriodicService {
        let replica = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
        let distinct = Gauge(label: "indgang_rule_set_digests")
        Gauge(label: "indgang_rule_set_info", dimensions: [("digest", digest)]).record(1)
        let seen = NIOLockedValueBox<Set<String>>([])
        return PeriodicService(name: "rule set agreement", interval: interval, logger: logger) {
            let counts = try await Deadline.run(within: .seconds(5)) {
                try await registry.announce(replica: replica, digest: digest, recent: interval * 4)
            }
            distinct.record(counts.count)
            // A digest no replica runs any more reads 0, rather than its last count for ever.
            let previous = seen.withLockedValue { known in
                defer { known.formUnion(counts.keys) }
                return known
            }
            for gone in previous.subtracting(counts.keys) { Gauge(label: "indgang_rule_set_replicas", dimensions: [("digest", gone)]).record(0) }
            for (each, count) in counts { Gauge(label: "indgang_rule_set_replicas", dimensions: [("digest", each)]).record(count) }
            if counts.count > 1 {
                logger.warning("replicas decide by different rule sets", metadata: ["digests": "\(counts.keys.sorted().joined(separator: ","))"])
            }
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
