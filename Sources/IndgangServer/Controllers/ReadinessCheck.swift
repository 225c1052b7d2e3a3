import Foundation
import IndgangStore

/// `/readyz`'s database check, bounded in what it costs: the answer comes within `deadline` even when the
/// database hangs, and one check query runs at a time (a hung one is waited on, not joined by another, for up to
/// `abandonAfter`: the route needs no key, and each probe would otherwise hold a pooled connection until the
/// statement timeout); probes that arrive while a check runs share its answer.
actor ReadinessCheck {
    enum Status: Sendable {
        case ready, migrationsPending, unreachable
    }

    static let deadline = Duration.milliseconds(1500)  // well inside the 2 s a health check typically allows

    private let databaseIsCurrent: @Sendable () async throws -> Bool
    private var inFlight: (query: Task<Bool, any Error>, started: ContinuousClock.Instant)?
    /// A check query older than this is given up on and a new one starts: one that will never be answered (a
    /// connection that died under it) must not keep the replica "unreachable" for good.
    static let abandonAfter = Duration.seconds(10)

    init(databaseIsCurrent: @escaping @Sendable () async throws -> Bool) {
        self.databaseIsCurrent = databaseIsCurrent
    }

    func status() async -> Status {
        let query: Task<Bool, any Error>
        if let inFlight, ContinuousClock.now - inFlight.started < Self.abandonAfter {
            query = inFlight.query
        } else {
            query = startQuery()
        }
        do {
            return try await Deadline.run(within: Self.deadline) { try await query.value } ? .ready : .migrationsPending
        } catch {
            return .unreachable
        }
    }

    private func startQuery() -> Task<Bool, any Error> {
        let query = Task { [databaseIsCurrent] in try await databaseIsCurrent() }
        inFlight = (query, ContinuousClock.now)
        Task {
            _ = try? await query.value
            self.finished(query)
        }
        return query
    }

    private func finished(_ query: Task<Bool, any Error>) {
        if inFlight?.query == query { inFlight = nil }
    }
}
