import Foundation
import IndgangCore

#if canImport(Glibc)
import Glibc
#endif

/// Checks webhook URLs: http(s) only, no credentials in them, and — unless private targets are allowed — every
/// address the host resolves to must be public. Checked when a subscription is made and again before every
/// attempt, because DNS can change in between (rebinding).
struct WebhookURLGuard: Sendable {
    let allowPrivate: Bool

    /// Nil when the URL may be used; otherwise why not.
    func problem(with text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "must be an http or https URL"
        }
        guard let host = url.host, !host.isEmpty else { return "must name a host" }
        guard url.user == nil, url.password == nil else { return "must not carry credentials" }
        guard text.count <= 2000 else { return "must be at most 2000 characters" }
        if allowPrivate { return nil }
        let addresses = Self.resolve(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        guard !addresses.isEmpty else { return "host \(host) does not resolve" }
        guard addresses.allSatisfy(NetworkAddress.isPublic) else {
            return "resolves to a loopback, link-local or private address (set INDGANG_WEBHOOK_ALLOW_PRIVATE=1 to allow)"
        }
        return nil
    }

    /// Every IPv4 and IPv6 address of `host`, as bytes.
    static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var value = pointer.pointee.sin_addr
                        addresses.append(withUnsafeBytes(of: &value) { Array($0) })
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var value = pointer.pointee.sin6_addr
                        addresses.append(withUnsafeBytes(of: &value) { Array($0) })
                    }
                default: break
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
