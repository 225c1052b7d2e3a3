import Foundation
import NIOConcurrencyHelpers

/// At most `perKey` of something costly under way at once per key; beyond that the caller gets a 429 with
/// `Retry-After`. Live streams per API key (each polls the database), look-ups of keys never seen valid, and
/// outcome figures classified from the facts all use one.
final class ConcurrencyLimit: Sendable {
    let perKey: Int
    private let open = NIOLockedValueBox<[Data: Int]>([:])

    init(perKey: Int) {
        self.perKey = perKey
    }

    /// A slot for one more under `key`, or nil when `key` has `perKey` under way. The slot is given back when it
    /// is released, whether the work ran to its end or never started.
    func acquire(_ key: Data = Data()) -> Slot? {
        let granted = open.withLockedValue { counts in
            guard counts[key, default: 0] < perKey else { return false }
            counts[key, default: 0] += 1
            return true
        }
        return granted ? Slot(limit: self, key: key) : nil
    }

    /// A slot, or the 429 that says why there is none and when to try again.
    func slot(_ key: Data = Data(), retryAfter seconds: Int, refusal detail: @autoclosure () -> String) throws -> Slot {
        guard let slot = acquire(key) else {
            var refusal = AppError(.tooManyRequests, detail: detail())
            refusal.headers[.retryAfter] = String(seconds)
            throw refusal
        }
        return slot
    }

    fileprivate func release(_ key: Data) {
        open.withLockedValue { counts in
            counts[key, default: 1] -= 1
            if counts[key] == 0 { counts[key] = nil }
        }
    }

    final class Slot: Sendable {
        let limit: ConcurrencyLimit
        let key: Data

        fileprivate init(limit: ConcurrencyLimit, key: Data) {
            self.limit = limit
            self.key = key
        }

        deinit { limit.release(key) }
    }
}
