import Foundation
import IndgangCore
import IndgangStore
import NIOConcurrencyHelpers
@testable import IndgangServer
import Testing

@Suite("Principal cache")
struct PrincipalCacheTests {
    static let hash = Data([1, 2, 3])
    static let principal = Principal(keyID: UUID(), actorID: UUID(), actorSlug: "kobenhavn", role: .caseworker)

    @Test("answers only while enabled, i.e. while changes are heard")
    func enabled() {
        let cache = PrincipalCache()
        let (_, before) = cache.principal(forKeyHash: Self.hash)
        cache.remember(Self.principal, forKeyHash: Self.hash, lookedUpIn: before)
        #expect(cache.principal(forKeyHash: Self.hash).principal == nil)
        cache.setEnabled(true)
        let (_, generation) = cache.principal(forKeyHash: Self.hash)
        cache.remember(Self.principal, forKeyHash: Self.hash, lookedUpIn: generation)
        #expect(cache.principal(forKeyHash: Self.hash).principal == Self.principal)
        cache.setEnabled(false)
        #expect(cache.principal(forKeyHash: Self.hash).principal == nil)
    }

    @Test("a change empties it, and a look-up that overlapped the change is not remembered")
    func invalidation() {
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let (_, generation) = cache.principal(forKeyHash: Self.hash)
        cache.remember(Self.principal, forKeyHash: Self.hash, lookedUpIn: generation)
        let (_, racing) = cache.principal(forKeyHash: Data([9]))
        cache.invalidate()
        #expect(cache.principal(forKeyHash: Self.hash).principal == nil)
        cache.remember(Self.principal, forKeyHash: Data([9]), lookedUpIn: racing)
        #expect(cache.principal(forKeyHash: Data([9])).principal == nil)
    }

    @Test("beyond its capacity it starts afresh")
    func capacity() {
        let cache = PrincipalCache(capacity: 3)
        cache.setEnabled(true)
        for byte in UInt8(0)..<4 {
            cache.remember(Self.principal, forKeyHash: Data([byte]), lookedUpIn: cache.principal(forKeyHash: Data([byte])).generation)
        }
        #expect(cache.principal(forKeyHash: Data([0])).principal == nil)
        #expect(cache.principal(forKeyHash: Data([3])).principal == Self.principal)
    }

    /// Counts look-ups; answers `known` for one hash and holds every look-up until released (a slow database).
    final class CountingActors: ActorRepository {
        let lookups = NIOLockedValueBox(0)
        let gate = NIOLockedValueBox<[CheckedContinuation<Void, Never>]>([])
        let holding: Bool

        init(holding: Bool = false) { self.holding = holding }

        func principal(forKeyHash hash: Data) async throws -> Principal? {
            lookups.withLockedValue { $0 += 1 }
            if holding { await withCheckedContinuation { continuation in gate.withLockedValue { $0.append(continuation) } } }
            return hash == PrincipalCacheTests.hash ? PrincipalCacheTests.principal : nil
        }

        func release() { for waiting in gate.withLockedValue({ gate in defer { gate = [] }; return gate }) { waiting.resume() } }
        var waiting: Int { gate.withLockedValue { $0.count } }

        func create(_ actor: NewActor) async throws -> ActorRecord { fatalError("not used") }
        func list() async throws -> [ActorRecord] { [] }
        func issueKey(actorSlug: String, role: Role, label: String?, eventTypes: [EventType]?) async throws -> IssuedKey { fatalError("not used") }
        func keys(actorSlug: String?, id: UUID?) async throws -> [KeyRecord] { [] }
        func revokeKey(id: UUID) async throws -> [UUID]? { nil }
    }

    @Test("keys have one form: anything else is refused before any look-up")
    func wellFormedKeys() {
        let key = APIKeyMaterial.generate()
        #expect(APIKeyMaterial.isWellFormed(key))
        for bad in ["", "igk_", String(key.dropLast()), key + "A", "igk_" + String(repeating: "é", count: 43), "igx_" + key.dropFirst(4), key.replacingOccurrences(of: "igk_", with: "IGK_")] {
            #expect(!APIKeyMaterial.isWellFormed(bad), "\(bad)")
        }
    }

    @Test("an unknown key costs one look-up, then none while it is remembered; any change forgets it")
    func unknownKeysAreRemembered() async throws {
        let actors = CountingActors()
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let resolver = PrincipalResolver(actors: actors, cache: cache)
        let unknown = Data([7, 7, 7])
        for _ in 0..<5 { #expect(try await resolver.principal(forKeyHash: unknown) == nil) }
        #expect(actors.lookups.withLockedValue { $0 } == 1)
        cache.invalidate()
        #expect(try await resolver.principal(forKeyHash: unknown) == nil)
        #expect(actors.lookups.withLockedValue { $0 } == 2)
    }

    @Test("concurrent look-ups of one new key share one query: a burst from a fresh integration is not refused")
    func concurrentLookupsShare() async throws {
        let actors = CountingActors(holding: true)
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let resolver = PrincipalResolver(actors: actors, cache: cache)
        let burst = (0..<12).map { _ in Task { try await resolver.principal(forKeyHash: Self.hash) } }
        while actors.waiting < 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        actors.release()
        for request in burst { #expect(try await request.value == Self.principal) }
        #expect(actors.lookups.withLockedValue { $0 } == 1)
    }

    @Test("look-ups of keys never seen valid run four at a time, beyond that 429; a key seen valid is never held back")
    func unseenLookupsAreBounded() async throws {
        let actors = CountingActors(holding: true)
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let resolver = PrincipalResolver(actors: actors, cache: cache)
        // The valid key was seen once (its entry has aged out of the cache since: maximum age zero would be the same).
        cache.remember(Self.principal, forKeyHash: Self.hash, lookedUpIn: cache.principal(forKeyHash: Self.hash).generation)
        cache.invalidate()
        let flood = (0..<4).map { index in Task { try await resolver.principal(forKeyHash: Data([UInt8(100 + index)])) } }
        while actors.waiting < 4 { try await Task.sleep(for: .milliseconds(10)) }
        await #expect {
            _ = try await resolver.principal(forKeyHash: Data([200]))
        } throws: { error in
            (error as? AppError)?.status == .tooManyRequests && (error as? AppError)?.headers[.retryAfter] == "1"
        }
        let valid = Task { try await resolver.principal(forKeyHash: Self.hash) }
        while actors.waiting < 5 { try await Task.sleep(for: .milliseconds(10)) }
        actors.release()
        #expect(try await valid.value == Self.principal)
        for task in flood { #expect(try await task.value == nil) }
        // The slots are free again.
        let next = Task { try await resolver.principal(forKeyHash: Data([201])) }
        while actors.waiting < 1 { try await Task.sleep(for: .milliseconds(10)) }
        actors.release()
        #expect(try await next.value == nil)
    }
}
