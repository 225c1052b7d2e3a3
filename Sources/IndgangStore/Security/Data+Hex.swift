import Foundation

extension Data {
    /// Lower-case hex: checksums, folder digests, and byte strings passed in `text[]` parameters (`decode(x, 'hex')`).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var characters = [UInt8](repeating: 0, count: count * 2)
        for (offset, byte) in enumerated() {
            characters[offset * 2] = digits[Int(byte >> 4)]
            characters[offset * 2 + 1] = digits[Int(byte & 0x0F)]
        }
        return String(decoding: characters, as: UTF8.self)
    }

    init(hex: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(Self.nibble(high) << 4 | Self.nibble(low)))
        }
        self.init(bytes)
    }

    private static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        default: return character - UInt8(ascii: "A") + 10
        }
    }
}
