import Foundation
import IndgangStore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Where the addresses of a webhook's host come from. The system resolver in production; tests substitute
/// answers (e.g. a name that rebinds between two lookups).
protocol HostResolver: Sendable {
    /// Every IPv4 and IPv6 address of `host`, as bytes in network order; empty when it does not resolve.
    func addresses(of host: String) async throws -> [[UInt8]]
}

/// A lookup that did not answer within the resolver's time limit.
struct HostLookupTimedOut: Error {}

/// `getaddrinfo`, run on a small pool of its own threads: it blocks, and on Swift's cooperative pool (one thread
/// per core) a slow resolver would stall every request. The wait is bounded; a lookup that outlives it keeps one
/// of these threads until the resolver gives up, never a cooperative one.
struct SystemHostResolver: HostResolver {
    let timeout: Duration

    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    init(timeout: Duration = .seconds(5)) {
        self.timeout = timeout
    }

    func addresses(of host: String) async throws -> [[UInt8]] {
        do {
            return try await Deadline.run(within: timeout) { try await Self.threads.runIfActive { Self.lookUp(host) } }
        } catch is Deadline.Exceeded {
            throw HostLookupTimedOut()
        }
    }

    private static func lookUp(_ host: String) -> [[UInt8]] {
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
