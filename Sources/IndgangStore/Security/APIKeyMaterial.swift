import Crypto
import Foundation
import IndgangCore

/// API keys: `igk_` + 32 random bytes in base64url, shown once and stored only as their SHA-256.
/// A fast hash is right here: the key has 256 bits of entropy, so there is nothing to brute-force.
public enum APIKeyMaterial {
    public static let prefix = "igk_"

    public static func generate() -> String {
        prefix + randomToken()
    }

    /// 32 random bytes in base64url: API keys, console session tokens and CSRF tokens.
    public static func randomToken() -> String {
        randomBytes().base64URLEncoded
    }

    /// The one source of secrets: bytes from the system's cryptographically secure generator.
    public static func randomBytes(_ count: Int = 32) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Whether `key` has the form every issued key has (`igk_` and 43 base64url characters): anything else is
    /// refused without looking it up.
    public static func isWellFormed(_ key: String) -> Bool {
        key.utf8.count == prefix.utf8.count + 43 && key.hasPrefix(prefix)
            && key.utf8.dropFirst(prefix.utf8.count).allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    public static func hash(_ key: String) -> Data {
        Data(SHA256.hash(data: Data(key.utf8)))
    }
}
