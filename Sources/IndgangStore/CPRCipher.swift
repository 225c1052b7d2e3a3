import Crypto
import Foundation
import IndgangCore

/// Seals CPR numbers with AES-GCM and derives the keyed blind index used to find a citizen without
/// decrypting every row. Both keys are derived (HKDF-SHA256) from `INDGANG_DATA_KEY`, which lives outside
/// the database, so a database dump alone reveals no CPR number and cannot be searched by guessing.
public struct CPRCipher: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let sealingKeyBytes: Data
    private let indexKeyBytes: Data
    private var sealingKey: SymmetricKey { SymmetricKey(data: sealingKeyBytes) }
    private var indexKey: SymmetricKey { SymmetricKey(data: indexKeyBytes) }
    private static let associatedData = Data("indgang:cpr:v1".utf8)

    public init(dataKey: SymmetricKey) {
        func derive(_ purpose: String) -> Data {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: dataKey, info: Data(purpose.utf8), outputByteCount: 32).withUnsafeBytes { Data($0) }
        }
        sealingKeyBytes = derive("indgang cpr sealing v1")
        indexKeyBytes = derive("indgang cpr blind index v1")
    }

    /// HMAC-SHA256 of the ten digits: equal CPR numbers give equal indexes, nothing else can be learnt.
    public func blindIndex(_ cpr: CPR) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(cpr.digits.utf8), using: indexKey))
    }

    /// Nonce, ciphertext and tag in one blob (a fresh random nonce each time).
    public func seal(_ cpr: CPR) throws -> Data {
        guard let combined = try AES.GCM.seal(Data(cpr.digits.utf8), using: sealingKey, authenticating: Self.associatedData).combined
        else { throw ConfigurationError("AES-GCM produced no combined representation") }
        return combined
    }

    public func open(_ sealed: Data) throws -> CPR {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let digits = try AES.GCM.open(box, using: sealingKey, authenticating: Self.associatedData)
        return try CPR(parsing: String(decoding: digits, as: UTF8.self))
    }
}
