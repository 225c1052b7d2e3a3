import Foundation
import IndgangCore
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
}
