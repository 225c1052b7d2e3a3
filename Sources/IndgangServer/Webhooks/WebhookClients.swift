import AsyncHTTPClient
import NIOCore

/// HTTP clients for webhook attempts, one per checked target (host and address). AsyncHTTPClient pins a host to an
/// address per client (`dnsOverride`, which keeps the host name for the `Host` header, SNI and the certificate
/// check), so each attempt connects to the address the URL guard saw, while connections to one subscriber are
/// still reused. At most `capacity` idle clients are kept; the least recently used one is shut down, never one
/// that an attempt is using.
actor WebhookClients {
    private struct Entry {
        let client: HTTPClient
        var users: Int
        var lastUse: UInt64
    }

    private let configuration: HTTPClient.Configuration
    private let capacity: Int
    private var entries: [WebhookURLGuard.Target: Entry] = [:]
    private var uses: UInt64 = 0

    init(configuration: HTTPClient.Configuration, capacity: Int = 64) {
        self.configuration = configuration
        self.capacity = capacity
    }

    /// Runs `attempt` with the client for `target`.
    func with<T: Sendable>(_ target: WebhookURLGuard.Target, _ attempt: @Sendable (HTTPClient) async throws -> T) async throws -> T {
        let client = await acquire(target)
        defer { release(target) }
        return try await attempt(client)
    }

    func shutdown() async {
        let all = entries.values.map(\.client)
        entries = [:]
        for client in all { try? await client.shutdown() }
    }

    private func acquire(_ target: WebhookURLGuard.Target) async -> HTTPClient {
        uses += 1
        if var entry = entries[target] {
            entry.users += 1
            entry.lastUse = uses
            entries[target] = entry
            return entry.client
        }
        var configuration = self.configuration
        if let address = target.address { configuration.dnsOverride = [target.host: address] }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        entries[target] = Entry(client: client, users: 1, lastUse: uses)
        await evictIdle()
        return client
    }

    private func release(_ target: WebhookURLGuard.Target) {
        entries[target]?.users -= 1
    }

    private func evictIdle() async {
        while entries.count > capacity,
            let (target, entry) = entries.filter({ $0.value.users == 0 }).min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            entries[target] = nil
            try? await entry.client.shutdown()
        }
    }
}
