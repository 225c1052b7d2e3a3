import Foundation

extension Data {
    /// Lower-case hex: migration checksums and folder digests (bytes go to PostgreSQL as `bytea`, never as hex text).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var characters = [UInt8](repeating: 0, count: count * 2)
        for (offset, byte) in enumerated() {
            characters[offset * 2] = digits[Int(byte >> 4)]
            characters[offset * 2 + 1] = digits[Int(byte & 0x0F)]
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
