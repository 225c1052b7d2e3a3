import AsyncHTTPClient
import Foundation
import IndgangCore
import IndgangStore
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Sends due webhook deliveries: claimed with `SKIP LOCKED` and a lease (so replicas share the work and a
/// crashed sender's deliveries come back), signed per Standard Webhooks, one attempt each, retried on the
/// back-off schedule and marked `failed` after the last. Woken by the notification fanout, with a 1 s poll
/// for retries that fall due.
///
/// Attempts run side by side, up to `maximumInFlight`, and at most `perSubscription` for one subscription: a
/// receiver that hangs until the timeout holds that many attempts, never the sender, so the others go on.
final class WebhookDeliverer: Service, Sendable {
    let subscriptions: any SubscriptionRepository
    let fanout: NotificationFanout
    let backoff: [Duration]
    let urlGuard: WebhookURLGuard
    let logger: Logger

    /// Longer than one attempt can take (a 5 s lookup and the 12 s attempt deadline), so a live sender keeps its claim;
    /// should it not, the attempt fence in `recordAttempt` keeps a late result from overwriting a newer one.
    static let lease = Duration.seconds(30)
    static let timeout = TimeAmount.seconds(10)
    static let attemptDeadline = Duration.seconds(12)
    static let maximumInFlight = 64
    static let perSubscription = 4
    static let claimSize = 32

    init(subscriptions: any SubscriptionRepository, fanout: NotificationFanout, backoff: [Duration], urlGuard: WebhookURLGuard, logger: Logger) {
        self.subscriptions = subscriptions
        self.fanout = fanout
        self.backoff = backoff
        self.urlGuard = urlGuard
        self.logger = logger
    }

    func run() async throws {
        // Created here, not in init, so that they are always shut down by the code that made them.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: Self.timeout))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        let clients = WebhookClients(configuration: configuration)
        await dispatch(clients)
        await clients.shutdown()
    }

    /// Claims due deliveries while there is room and starts an attempt for each; woken when a notification is
    /// made, when an attempt ends, and once a second for retries that fall due.
    private func dispatch(_ clients: WebhookClients) async {
        let (subscription, wakeUps, wake) = fanout.subscribe()
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                wake.yield()
            }
        }
        defer {
            ticker.cancel()
            fanout.unsubscribe(subscription)
        }
        let inFlight = InFlight()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await _ in wakeUps {
                    while !Task.isCancelled {
                        let (room, full) = inFlight.room(total: Self.maximumInFlight, perSubscription: Self.perSubscription)
                        guard room > 0 else { break }
                        let claimed: [ClaimedDelivery]
                        do {
                            claimed = try await self.subscriptions.claimDue(
                                limit: min(room, Self.claimSize), lease: Self.lease, perSubscription: Self.perSubscription, excluding: full)
                        } catch {
                            self.logger.warning("claiming webhook deliveries failed", metadata: ["error_type": "\(type(of: error))"])
                            break
                        }
                        if claimed.isEmpty { break }
                        for delivery in claimed {
                            inFlight.start(delivery.subscriptionID)
                            group.addTask {
                                await self.deliver(delivery, with: clients)
                                inFlight.finish(delivery.subscriptionID)
                                wake.yield()
                            }
                        }
                    }
                }
            }
        }
    }

    /// The attempts this sender has under way, per subscription.
    private final class InFlight: Sendable {
        private let counts = Mutex<[UUID: Int]>([:])

        func start(_ subscription: UUID) { counts.withLock { $0[subscription, default: 0] += 1 } }

        func finish(_ subscription: UUID) {
            counts.withLock { counts in
                counts[subscription, default: 1] -= 1
                if counts[subscription] == 0 { counts[subscription] = nil }
            }
        }

        /// How many more attempts may start, and the subscriptions that may start none.
        func room(total: Int, perSubscription: Int) -> (Int, [UUID]) {
            counts.withLock { counts in
                (total - counts.values.reduce(0, +), counts.filter { $0.value >= perSubscription }.map(\.key))
            }
        }
    }

    func deliver(_ delivery: ClaimedDelivery, with clients: WebhookClients) async {
        let start = ContinuousClock.now
        var statusCode: Int?
        var failure: String?
        switch await urlGuard.check(delivery.url) {
        case .refused(let problem):
            failure = "refused: the URL \(problem)"
        case .allowed(let target):
            do {
                // One deadline for the whole attempt: AsyncHTTPClient's own ends with the response head, and a
                // receiver dribbling its body would otherwise hold the attempt for as long as it likes.
                statusCode = try await Deadline.run(within: Self.attemptDeadline) {
                    try await clients.with(target) { try await self.send(delivery, with: $0) }
                }
                if let code = statusCode, !(200..<300).contains(code) { failure = "HTTP \(code)" }
            } catch {
                failure = "\(type(of: error))"
            }
        }
        let delivered = failure == nil
        let retryAfter = delivered || delivery.attempt > backoff.count ? nil : backoff[delivery.attempt - 1]
        Counter(label: "indgang_webhook_deliveries_total", dimensions: [("result", delivered ? "delivered" : retryAfter == nil ? "failed" : "retry")])
            .increment()
        do {
            try await subscriptions.recordAttempt(
                id: delivery.id, claim: delivery.claim, statusCode: statusCode, error: failure, duration: ContinuousClock.now - start, delivered: delivered, retryAfter: retryAfter)
        } catch {
            // The lease runs out and the delivery is attempted again: at least once, never lost.
            logger.warning("recording a webhook attempt failed", metadata: ["delivery_id": "\(delivery.id)", "error_type": "\(type(of: error))"])
        }
        if !delivered {
            logger.info(
                "webhook attempt failed",
                metadata: ["delivery_id": "\(delivery.id)", "attempt": "\(delivery.attempt)", "will_retry": "\(retryAfter != nil)"])
        }
    }

    private func send(_ delivery: ClaimedDelivery, with httpClient: HTTPClient) async throws -> Int {
        struct Payload: Encodable {
            let type: String
            let timestamp: String
            let data: [String: String]
        }
        let body = try JSONCoding.encoder.encode(Payload(type: delivery.kind, timestamp: RFC3339.format(delivery.createdAt), data: delivery.payload))
        let id = delivery.id.lowercasedString
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Indgang-Webhooks/1")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: delivery.secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await httpClient.execute(request, timeout: Self.timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)  // drain, so the connection can be reused
        return Int(response.status.code)
    }
}
