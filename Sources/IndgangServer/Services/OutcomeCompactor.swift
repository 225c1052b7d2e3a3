import Foundation
import IndgangStore
import Logging
import ServiceLifecycle

/// Every `interval`, folds the delta rows ingest appends to the pre-aggregated outcome and handoff counts, so
/// a figure reads about one row per day and group however much was ingested. Safe with several replicas (the
/// store skips while another holds the compaction lock); figures are exact whether or not it has run.
struct OutcomeCompactor: Service {
    let outcomes: any OutcomeRepository
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    let folded = try await outcomes.compact()
                    if folded > 0 { logger.debug("outcome counts compacted", metadata: ["rows": "\(folded)"]) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("outcome compaction failed", metadata: ["error_type": "\(type(of: error))"])
                }
            }
        }
    }
}
