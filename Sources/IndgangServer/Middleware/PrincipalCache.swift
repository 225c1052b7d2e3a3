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
        /// Keys looked up and found to be no key (or a revoked one), so that repeating one costs no query.
        var unknown: [Data: ContinuousClock.Instant] = [:]
        /// Keys that were valid once: their look-ups are never rate-limited (`PrincipalResolver`). Not a
        /// credential — nothing is answered from it — so changes do not empty it.
        var seenValid: Set<Data> = []
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
            if state.seenValid.count >= capacity { state.seenValid.removeAll(keepingCapacity: true) }
            state.seenValid.insert(hash)
            guard state.enabled, state.generation == generation else { return }
            if state.principals.count >= capacity { state.principals.removeAll(keepingCapacity: true) }
            state.principals[hash] = (principal, ContinuousClock.now)
        }
    }

    /// Whether `hash` was looked up lately and found to be no valid key.
    func isKnownUnknown(_ hash: Data) -> Bool {
        state.withLockedValue { state in
            guard state.enabled, let at = state.unknown[hash] else { return false }
            return ContinuousClock.now - at < Self.unknownAge
        }
    }

    func rememberUnknown(_ hash: Data, lookedUpIn generation: Int) {
        state.withLockedValue { state in
            guard state.enabled, state.generation == generation else { return }
            if state.unknown.count >= capacity { state.unknown.removeAll(keepingCapacity: true) }
            state.unknown[hash] = ContinuousClock.now
        }
    }

    func wasValid(_ hash: Data) -> Bool {
        state.withLockedValue { $0.seenValid.contains(hash) }
    }

    /// An unknown key stays unknown (keys are 256 random bits, made by Indgang); the age only bounds how long an
    /// actor's key that was refused while the actor was inactive is remembered — any change empties it anyway.
    static let unknownAge = Duration.seconds(60)

    /// Something changed: forget everything (and drop look-ups in flight).
    func invalidate() {
        state.withLockedValue { state in
            state.generation += 1
            state.principals.removeAll()
            state.unknown.removeAll()
        }
    }

    /// Start or stop answering: only while changes are heard.
    func setEnabled(_ enabled: Bool) {
        state.withLockedValue { state in
            state.enabled = enabled
            state.generation += 1
            state.principals.removeAll()
            state.unknown.removeAll()
        }
    }
}
