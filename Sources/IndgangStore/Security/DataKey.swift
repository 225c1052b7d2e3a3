import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `INDGANG_DATA_KEY`: 32 random bytes, base64, kept outside the database.
public enum DataKey {
    /// The one key derivation: a 32-byte key for one purpose (HKDF-SHA256 with the purpose as `info`), so each
    /// use of `INDGANG_DATA_KEY` has its own key. Bytes, because `SymmetricKey` is not `Sendable`.
    public static func derive(_ dataKey: SymmetricKey, purpose: String) -> Data {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: dataKey, info: Data(purpose.utf8), outputByteCount: 32).withUnsafeBytes { Data($0) }
    }

    public static func derive(_ dataKey: Data, purpose: String) -> Data {
        derive(SymmetricKey(data: dataKey), purpose: purpose)
    }

    public static func parse(base64 text: String) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw ConfigurationError("INDGANG_DATA_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)")
        }
        return SymmetricKey(data: data)
    }

    /// Reads `file`, creating it (mode 0600) with a fresh key first if it does not exist. For embedded mode only:
    /// with an external database the operator must supply the key, so that it is not lost with a container.
    public static func loadOrCreate(at file: URL) throws -> SymmetricKey {
        if let existing = try? String(contentsOf: file, encoding: .utf8) {
            return try parse(base64: existing)
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("cannot create \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = text.withCString { write(descriptor, $0, strlen($0)) }
        guard written == text.utf8.count, fsync(descriptor) == 0 else { throw ConfigurationError("cannot write \(file.path)") }
        return key
    }
}
