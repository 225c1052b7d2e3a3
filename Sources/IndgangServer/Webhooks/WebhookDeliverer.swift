import AsyncHTTPClient
import Foundation
import IndgangCore
import IndgangStore
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends due webhook deliveries: claimed with `SKIP LOCKED` and a lease (so replicas share the work and a
/// crashed sender's deliveries come back), signed per Standard Webhooks, one attempt each, retried on the
/// back-off schedule and marked `failed` after the last. Woken by the notification fanout, with a 1 s poll
/// for retries that fall due.
final class WebhookDeliverer: Service, Sendable {
    let subscriptions: any SubscriptionRepository
    let fanout: NotificationFanout
    let backoff: [Duration]
    let urlGuard: WebhookURLGuard
    let logger: Logger

    static let lease = Duration.seconds(60)
    static let timeout = TimeAmount.seconds(10)
    /// Deliveries in flight at once in this process, and at most this many per subscription: a subscriber
    /// that hangs holds a few slots until its timeouts, never the whole deliverer.
    static let slots = 64
    static let slotsPerSubscription = 4

    init(subscriptions: any SubscriptionRepository, fanout: NotificationFanout, backoff: [Duration], urlGuard: WebhookURLGuard, logger: Logger) {
        self.subscriptions = subscriptions
        self.fanout = fanout
        self.backoff = backoff
        self.urlGuard = urlGuard
        self.logger = logger
    }

    func run() async throws {
        // Created here, not in init, so that it is always shut down by the code that made it.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: Self.timeout))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let (subscription, wakeUps, wake) = fanout.subscribe()
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                wake.yield()
            }
        }
        await cancelWhenGracefulShutdown {
            await self.deliverWhileRunning(wakeUps: wakeUps, wake: wake, httpClient: httpClient)
        }
        ticker.cancel()
        fanout.unsubscribe(subscription)
        try await httpClient.shutdown()
    }

    /// Keeps up to `slots` deliveries in flight: claims more whenever slots are free (leaving out subscriptions
    /// at their cap), and sleeps until woken (a notification committed, a retry fell due) when there is nothing.
    private func deliverWhileRunning(wakeUps: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation, httpClient: HTTPClient) async {
        await withTaskGroup(of: UUID.self) { group in
            var inFlight: [UUID: Int] = [:]
            var wakeIterator = wakeUps.makeAsyncIterator()
            while !Task.isCancelled {
                let busy = inFlight.values.reduce(0, +)
                var claimed: [ClaimedDelivery] = []
                if busy < Self.slots {
                    let saturated = inFlight.filter { $0.value >= Self.slotsPerSubscription }.map(\.key)
                    do {
                        claimed = try await subscriptions.claimDue(
                            limit: min(32, Self.slots - busy), perSubscription: Self.slotsPerSubscription, lease: Self.lease, excluding: saturated)
                    } catch {
                        logger.warning("claiming webhook deliveries failed", metadata: ["error_type": "\(type(of: error))"])
                    }
                }
                // Everything claimed is started (a subscription may briefly exceed its share; none waits on a lease).
                for delivery in claimed {
                    inFlight[delivery.subscriptionID, default: 0] += 1
                    group.addTask {
                        await self.deliver(delivery, with: httpClient)
                        return delivery.subscriptionID
                    }
                }
                if !claimed.isEmpty && inFlight.values.reduce(0, +) < Self.slots { continue }
                // Wait for a slot to free up, or (when idle) for a wake-up.
                if inFlight.values.reduce(0, +) > 0 {
                    // A finished delivery frees its slot; a wake-up meanwhile is kept for the next round.
                    if let finished = await group.next() {
                        inFlight[finished, default: 1] -= 1
                        if inFlight[finished] == 0 { inFlight.removeValue(forKey: finished) }
                    }
                    wake.yield()
                } else if await wakeIterator.next() == nil {
                    break
                }
            }
        }
    }

    func deliver(_ delivery: ClaimedDelivery, with httpClient: HTTPClient) async {
        let start = ContinuousClock.now
        var statusCode: Int?
        var failure: String?
        if let problem = urlGuard.problem(with: delivery.url) {
            failure = "refused: the URL \(problem)"
        } else {
            do {
                statusCode = try await send(delivery, with: httpClient)
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
                id: delivery.id, statusCode: statusCode, error: failure, duration: ContinuousClock.now - start, delivered: delivered, retryAfter: retryAfter)
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
        let id = delivery.id.uuidString.lowercased()
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
