import Crypto
import Foundation

/// AES-GCM with a key derived (HKDF-SHA256) from `INDGANG_DATA_KEY` for one purpose, so that each kind of
/// secret at rest (CPR numbers, webhook secrets) has its own key.
public struct Sealer: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let keyBytes: Data
    private let associatedData: Data

    public init(dataKey: SymmetricKey, purpose: String) {
        keyBytes = DataKey.derive(dataKey, purpose: purpose)
        associatedData = Data(purpose.utf8)
    }

    /// Nonce, ciphertext and tag in one blob (a fresh random nonce each time).
    public func seal(_ plaintext: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: SymmetricKey(data: keyBytes), authenticating: associatedData).combined else {
            throw ConfigurationError("AES-GCM produced no combined representation")
        }
        return combined
    }

    public func open(_ sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: keyBytes), authenticating: associatedData)
    }
}
