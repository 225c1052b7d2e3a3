import Foundation
import IndgangCore
import IndgangStore

/// Which principal an API key stands for now: from `PrincipalCache` while it is fresh, else from the database.
/// Used for every request and, periodically, by every open live stream, so a revoked key stops working — and
/// its streams end — within the cache's bounded age on every replica, even one that lost its notifications.
struct PrincipalResolver: Sendable {
    let actors: any ActorRepository
    let cache: PrincipalCache

    func principal(forKeyHash hash: Data) async throws -> Principal? {
        let (cached, generation) = cache.principal(forKeyHash: hash)
        if let cached { return cached }
        guard let principal = try await actors.principal(forKeyHash: hash) else { return nil }
        cache.remember(principal, forKeyHash: hash, lookedUpIn: generation)
        return principal
    }
}
