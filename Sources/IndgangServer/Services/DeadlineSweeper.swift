import Foundation
import IndgangStore
import Logging
import ServiceLifecycle

/// Every `interval`, marks pending handoffs past their due time as overdue (and escalates them). Several
/// replicas may sweep at once: the store claims rows with `SKIP LOCKED`, so each handoff is marked once.
struct DeadlineSweeper: Service {
    let handoffs: any HandoffRepository
    let interval: Duration
    let logger: Logger
    static let batchSize = 500

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Sweeps until nothing due is left (a backlog after downtime is worked off at once, in batches).
    func sweep() async {
        do {
            while try await handoffs.markOverdue(limit: Self.batchSize) == Self.batchSize, !Task.isCancelled {}
        } catch is CancellationError {
        } catch {
            logger.error("deadline sweep failed", metadata: ["error_type": "\(type(of: error))"])
        }
    }
}
