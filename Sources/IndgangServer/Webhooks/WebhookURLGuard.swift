import Foundation
import IndgangCore
import NIOCore

/// Checks webhook URLs: http(s) only, no credentials in them, and — unless private targets are allowed — every
/// address the host resolves to must be public. Checked when a subscription is made and again before every
/// attempt, and the attempt connects to an address this check saw: resolving again at connect time would let a
/// name answer a public address to the check and `127.0.0.1` to the connection (DNS rebinding).
struct WebhookURLGuard: Sendable {
    let allowPrivate: Bool
    let resolver: any HostResolver

    init(allowPrivate: Bool, resolver: any HostResolver = SystemHostResolver()) {
        self.allowPrivate = allowPrivate
        self.resolver = resolver
    }

    /// Where an attempt may go: the URL's host, and the checked address to connect to instead of resolving it
    /// again (nil when the host is an address already, or when private targets are allowed).
    struct Target: Sendable, Hashable {
        let host: String
        let address: String?
    }

    enum Verdict: Sendable {
        case allowed(Target)
        case refused(String)
    }

    func check(_ text: String) async -> Verdict {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .refused("must be an http or https URL")
        }
        guard let host = url.host, !host.isEmpty else { return .refused("must name a host") }
        guard url.user == nil, url.password == nil else { return .refused("must not carry credentials") }
        guard text.count <= 2000 else { return .refused("must be at most 2000 characters") }
        let bareHost = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        // The HTTP client reads the host with URL, not URLComponents: where the two read it differently (percent
        // escapes, international names), the address pinned below would not apply to the name it connects to.
        guard URL(string: text)?.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) == bareHost else {
            return .refused("must name its host plainly (letters, digits, dots and hyphens, or an IP address)")
        }
        if allowPrivate { return .allowed(Target(host: bareHost, address: nil)) }
        let addresses: [[UInt8]]
        do {
            addresses = try await resolver.addresses(of: bareHost)
        } catch {
            return .refused("host \(host) did not resolve in time")
        }
        guard let first = addresses.first, let firstText = Self.text(first) else { return .refused("host \(host) does not resolve") }
        guard addresses.allSatisfy(NetworkAddress.isPublic) else {
            return .refused("resolves to a loopback, link-local or private address (set INDGANG_WEBHOOK_ALLOW_PRIVATE=1 to allow)")
        }
        let isLiteral = (try? SocketAddress(ipAddress: bareHost, port: 0)) != nil
        return .allowed(Target(host: bareHost, address: isLiteral ? nil : firstText))
    }

    /// Nil when the URL may be used; otherwise why not.
    func problem(with text: String) async -> String? {
        if case .refused(let problem) = await check(text) { return problem }
        return nil
    }

    /// An address's usual text form (`203.0.113.5`, `2001:db8::1`).
    static func text(_ bytes: [UInt8]) -> String? {
        try? SocketAddress(packedIPAddress: ByteBuffer(bytes: bytes), port: 0).ipAddress
    }
}
