/// Which IP addresses a webhook may be sent to: public unicast only, unless private ones are allowed
/// explicitly (`INDGANG_WEBHOOK_ALLOW_PRIVATE=1`). Refusing loopback, link-local and private ranges keeps
/// a subscription from turning the server into a proxy into its own network (SSRF).
public enum NetworkAddress {
    /// `bytes` is an IPv4 (4 bytes) or IPv6 (16 bytes) address in network order.
    public static func isPublic(_ bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4: return isPublicIPv4(bytes)
        case 16:
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return isPublicIPv4(Array(bytes[12..<16]))  // IPv4-mapped
            }
            if bytes.allSatisfy({ $0 == 0 }) { return false }  // ::
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return false }  // ::1
            if bytes[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
            if bytes[0] == 0xFF { return false }  // multicast
            return true
        default:
            return false
        }
    }

    static func isPublicIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (169, 254): return false
        case (172, 16...31): return false
        case (192, 168): return false
        case (100, 64...127): return false  // carrier-grade NAT
        case (192, 0) where b[2] == 0: return false  // IETF protocol assignments
        case (198, 18...19): return false  // benchmarking
        case (224...255, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }
}
