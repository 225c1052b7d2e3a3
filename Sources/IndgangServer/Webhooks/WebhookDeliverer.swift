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

    /// Longer than one attempt can take (the 10 s timeout), so a live sender never loses its claim.
    static let lease = Duration.seconds(15)
    static let timeout = TimeAmount.seconds(10)
    static let workers = 4
    static let claimSize = 32

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
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.workers {
                group.addTask { await self.work(httpClient) }
            }
        }
        try await httpClient.shutdown()
    }

    /// One worker: claim a few due deliveries, send them concurrently, repeat; sleep until woken when idle.
    private func work(_ httpClient: HTTPClient) async {
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
        await cancelWhenGracefulShutdown {
            for await _ in wakeUps {
                while !Task.isCancelled {
                    let claimed: [ClaimedDelivery]
                    do {
                        claimed = try await self.subscriptions.claimDue(limit: Self.claimSize, lease: Self.lease)
                    } catch {
                        self.logger.warning("claiming webhook deliveries failed", metadata: ["error_type": "\(type(of: error))"])
                        break
                    }
                    if claimed.isEmpty { break }
                    await withTaskGroup(of: Void.self) { group in
                        for delivery in claimed { group.addTask { await self.deliver(delivery, with: httpClient) } }
                    }
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
