import Foundation
import IndgangCore
import IndgangStore
import NIOConcurrencyHelpers

/// Which principal an API key stands for now: from `PrincipalCache` while it is fresh, else from the database.
/// Used for every request and, periodically, by every open live stream, so a revoked key stops working — and
/// its streams end — within the cache's bounded age on every replica, even one that lost its notifications.
///
/// What an unauthenticated caller can cost is bounded: a malformed key is refused before this (no query), a key
/// found unknown is remembered (no query when it is sent again), concurrent look-ups of one key share one query,
/// and look-ups of keys never seen valid run at most four at once; beyond that the caller gets 429 — a flood of
/// random keys cannot take the database's connections from the keys in use.
struct PrincipalResolver: Sendable {
    let actors: any ActorRepository
    let cache: PrincipalCache
    private let unseenLookups = ConcurrencyLimit(perKey: 4)
    private let inFlight = NIOLockedValueBox<[Data: Task<Principal?, any Error>]>([:])

    init(actors: any ActorRepository, cache: PrincipalCache) {
        self.actors = actors
        self.cache = cache
    }

    func principal(forKeyHash hash: Data) async throws -> Principal? {
        let (cached, generation) = cache.principal(forKeyHash: hash)
        if let cached { return cached }
        if cache.isKnownUnknown(hash) { return nil }
        let lookup = try inFlight.withLockedValue { running -> Task<Principal?, any Error> in
            if let shared = running[hash] { return shared }
            let slot: ConcurrencyLimit.Slot? = cache.wasValid(hash) ? nil : try unseenLookups.slot(retryAfter: 1, refusal: "too many look-ups of unknown keys at once; try again shortly")
            let lookup = Task<Principal?, any Error> { [actors, cache, inFlight] in
                defer {
                    withExtendedLifetime(slot) {}
                    inFlight.withLockedValue { $0[hash] = nil }
                }
                // Bounded, so that a look-up that never ends (a connection that died under it) cannot hold every
                // later request with this key, nor a place among the unseen-key look-ups, for good.
                guard let principal = try await Deadline.run(within: .seconds(10), { try await actors.principal(forKeyHash: hash) }) else {
                    cache.rememberUnknown(hash, lookedUpIn: generation)
                    return nil
                }
                cache.remember(principal, forKeyHash: hash, lookedUpIn: generation)
                return principal
            }
            running[hash] = lookup
            return lookup
        }
        return try await lookup.value
    }
}
