import Foundation

extension UUID {
    /// `uuidString.lowercased()`, the form every id takes in answers, slots and JSON columns, written directly:
    /// Foundation formats a UUID with `snprintf` and the lowercasing copies it again (perf: ~3 % of the server's CPU
    /// in a batch of acute admissions, 2026-12-05).
    public var lowercasedString: String { text(letters: UInt8(ascii: "a")) }

    /// `uuidString`, as `JSONEncoder` writes a UUID (the stored ingest results), without `snprintf`.
    public var uppercasedString: String { text(letters: UInt8(ascii: "A")) }

    private func text(letters: UInt8) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                func digit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : letters + value - 10 }
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = digit(byte >> 4)
                    text[position + 1] = digit(byte & 0x0F)
                    position += 2
                }
                return position
            }
        }
    }
}
