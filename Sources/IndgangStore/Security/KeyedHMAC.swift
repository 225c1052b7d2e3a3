import Crypto
import Foundation

/// HMAC-SHA256 under one key, keyed once: the state after the key is copied for each code, where keying anew hashed
/// two more blocks every time (the CPR index and the body digest of every posted event).
///
/// `HMAC` is not `Sendable` in swift-crypto 3, but this one is only ever copied, and a copy's first update copies its
/// digest context (copy-on-write, `isKnownUniquelyReferenced`; the stored state keeps it shared), so sharing is safe.
struct KeyedHMAC: Sendable {
    nonisolated(unsafe) private let keyed: HMAC<SHA256>

    init(key: Data) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    func code(for data: some DataProtocol) -> Data {
        var hmac = keyed
        hmac.update(data: data)
        return Data(hmac.finalize())
    }
}
