import Crypto
import Foundation
import IndgangCore

/// Seals CPR numbers with AES-GCM and derives the keyed blind index used to find a citizen without
/// decrypting every row. Both keys are derived (HKDF-SHA256) from `INDGANG_DATA_KEY`, which lives outside
/// the database, so a database dump alone reveals no CPR number and cannot be searched by guessing.
public struct CPRCipher: Sendable {
    private let sealer: Sealer
    private let index: KeyedHMAC

    public init(dataKey: SymmetricKey) {
        sealer = Sealer(dataKey: dataKey, purpose: "indgang cpr sealing v1")
        index = KeyedHMAC(key: DataKey.derive(dataKey, purpose: "indgang cpr blind index v1"))
    }

    /// HMAC-SHA256 of the ten digits: equal CPR numbers give equal indexes, nothing else can be learnt.
    public func blindIndex(_ cpr: CPR) -> Data {
        index.code(for: Data(cpr.digits.utf8))
    }

    public func seal(_ cpr: CPR) throws -> Data {
        try sealer.seal(Data(cpr.digits.utf8))
    }

    public func open(_ sealed: Data) throws -> CPR {
        try CPR(parsing: String(decoding: try sealer.open(sealed), as: UTF8.self))
    }
}
