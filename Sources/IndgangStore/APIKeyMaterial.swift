import Crypto
import Foundation
import IndgangCore

/// API keys: `igk_` + 32 random bytes in base64url, shown once and stored only as their SHA-256.
/// A fast hash is right here: the key has 256 bits of entropy, so there is nothing to brute-force.
public enum APIKeyMaterial {
    public static let prefix = "igk_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64URLEncoded
    }

    public static func hash(_ key: String) -> Data {
        Data(SHA256.hash(data: Data(key.utf8)))
    }
}
