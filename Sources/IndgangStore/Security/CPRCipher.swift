import Crypto
import Foundation
import IndgangCore

/// Seals CPR numbers with AES-GCM and derives the keyed blind index used to find a citizen without
/// decrypting every row. Both keys are derived (HKDF-SHA256) from `INDGANG_DATA_KEY`, which lives outside
/// the database, so a database dump alone reveals no CPR number and cannot be searched by guessing.
public struct CPRCipher: Sendable {
    private let sealer: Sealer
    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let indexKeyBytes: Data

    public init(dataKey: SymmetricKey) {
        sealer = Sealer(dataKey: dataKey, purpose: "indgang cpr sealing v1")
        indexKeyBytes = DataKey.derive(dataKey, purpose: "indgang cpr blind index v1")
    }

    /// HMAC-SHA256 of the ten digits: equal CPR numbers give equal indexes, nothing else can be learnt.
    public func blindIndex(_ cpr: CPR) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(cpr.digits.utf8), using: SymmetricKey(data: indexKeyBytes)))
    }

    public func seal(_ cpr: CPR) throws -> Data {
        try sealer.seal(Data(cpr.digits.utf8))
    }

    public func open(_ sealed: Data) throws -> CPR {
        try CPR(parsing: String(decoding: try sealer.open(sealed), as: UTF8.self))
    }
}
