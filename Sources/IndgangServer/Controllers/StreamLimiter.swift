import Foundation
import NIOConcurrencyHelpers

/// At most `perKey` live streams open at once per API key (a console session counts as its key): each open stream
/// polls the database, so an unbounded number per key would let one client load it. Beyond that: 429.
final class StreamLimiter: Sendable {
    let perKey: Int
    private let open = NIOLockedValueBox<[Data: Int]>([:])

    init(perKey: Int) {
        self.perKey = perKey
    }

    /// A slot for one stream of `key`, or nil when the key has `perKey` open. The slot is given back when it is
    /// released, whether the stream ran to its end or its response was never sent.
    func acquire(_ key: Data) -> Slot? {
        let granted = open.withLockedValue { counts in
            guard counts[key, default: 0] < perKey else { return false }
            counts[key, default: 0] += 1
            return true
        }
        return granted ? Slot(limiter: self, key: key) : nil
    }

    fileprivate func release(_ key: Data) {
        open.withLockedValue { counts in
            counts[key, default: 1] -= 1
            if counts[key] == 0 { counts[key] = nil }
        }
    }

    final class Slot: Sendable {
        let limiter: StreamLimiter
        let key: Data

        fileprivate init(limiter: StreamLimiter, key: Data) {
            self.limiter = limiter
            self.key = key
        }

        deinit { limiter.release(key) }
    }
}
