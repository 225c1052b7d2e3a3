import Foundation
import IndgangCore
import NIOConcurrencyHelpers

/// Which principal an API key (by hash) stands for, remembered so that a request needs no database round
/// trip to authenticate. It only answers while it is `enabled`, that is while `PrincipalChangeListener` hears
/// the database's `indgang_principals` notifications; each one (a key revoked, an actor changed, in any
/// replica) empties it. A look-up that was running when something changed is not remembered: every change
/// moves the generation on, and `remember` only stores under the generation its look-up started in.
/// Entries also have a bounded age (`maximumAge`): a listening connection that died silently (no error, no
/// notifications) can keep a revoked key alive for at most that long.
final class PrincipalCache: Sendable {
    private struct State {
        var enabled = false
        var generation = 0
        var principals: [Data: (principal: Principal, at: ContinuousClock.Instant)] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// Keys remembered at most; beyond that the cache starts afresh (keys are few; this bounds a flood of
    /// distinct valid keys, not normal use).
    let capacity: Int
    let maximumAge: Duration

    /// Two seconds: with a live stream re-checking its key every second, a revocation bites within the contract's five.
    init(capacity: Int = 10_000, maximumAge: Duration = .seconds(2)) {
        self.capacity = capacity
        self.maximumAge = maximumAge
    }

    /// The remembered principal, or nil (not remembered, or not listening); and the generation to pass to
    /// `remember` after looking it up in the database.
    func principal(forKeyHash hash: Data) -> (principal: Principal?, generation: Int) {
        state.withLockedValue { state in
            guard state.enabled, let entry = state.principals[hash], ContinuousClock.now - entry.at < maximumAge else { return (nil, state.generation) }
            return (entry.principal, state.generation)
        }
    }

    func remember(_ principal: Principal, forKeyHash hash: Data, lookedUpIn generation: Int) {
        state.withLockedValue { state in
            guard state.enabled, state.generation == generation else { return }
            if state.principals.count >= capacity { state.principals.removeAll(keepingCapacity: true) }
            state.principals[hash] = (principal, ContinuousClock.now)
        }
    }

    /// Something changed: forget everything (and drop look-ups in flight).
    func invalidate() {
        state.withLockedValue { state in
            state.generation += 1
            state.principals.removeAll()
        }
    }

    /// Start or stop answering: only while changes are heard.
    func setEnabled(_ enabled: Bool) {
        state.withLockedValue { state in
            state.enabled = enabled
            state.generation += 1
            state.principals.removeAll()
        }
    }
}
