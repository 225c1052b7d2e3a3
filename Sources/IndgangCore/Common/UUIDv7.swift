import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation
    /// time and cursor paging by id means "newest first" without a second column.
    ///
    /// The random bits come from one `arc4random_buf` call (a `getrandom` system call): 0.26 µs, where two draws from
    /// the system generator took 0.49 µs and Foundation's `UUID()`, which opens, reads and closes `/dev/urandom`,
    /// 2.4 µs — 17 % of the server's CPU in a batch of acute admissions when v7 ids drew from it (2026-12-05).
    public static func v7(at date: Date = Date()) -> UUID {
        var random: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &random) { arc4random_buf($0.baseAddress!, $0.count) }
        return v7(at: date, random: random)
    }

    public static func v7(at date: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        let high = generator.next()
        let low = generator.next()
        return withUnsafeBytes(of: (high, low)) { bytes in
            v7(at: date, random: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                  bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    private static func v7(at date: Date, random: uuid_t) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = random
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = (bytes.6 & 0x0F) | 0x70  // version 7
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: bytes)
    }
}
