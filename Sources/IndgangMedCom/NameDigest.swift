import Crypto
import Foundation

/// SHA-256 (swift-crypto) of names: long episode ids shortened, and ids derived deterministically so that the
/// same message always gets the same acknowledgement.
enum NameDigest {
    static func hex<Bytes: Sequence>(_ input: Bytes) -> String where Bytes.Element == UInt8 {
        SHA256.hash(data: Array(input)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// A name-based UUID (RFC 9562 version 8, SHA-256 of the name): the same name always gives the same id.
    static func uuid(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
