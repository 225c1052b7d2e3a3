import Foundation
import HTTPTypes
import Hummingbird
import IndgangCore
import IndgangStore
import ServiceLifecycle

/// `GET /v1/notifications/stream`: Server-Sent Events. Each notification is sent once, in commit-safe order,
/// with `id: <xid>.<position>`; a client that reconnects with `Last-Event-ID` continues exactly after it.
/// Wakes on LISTEN/NOTIFY (any replica), polls as a safety net, sends heartbeats, and ends on shutdown.
struct NotificationStream {
    let notifications: any NotificationRepository
    let fanout: NotificationFanout
    let resolver: PrincipalResolver
    let heartbeat: Duration
    let limiter: StreamLimiter
    static let poll = Duration.seconds(1)
    static let keyCheck = Duration.seconds(1)
    static let batch = 200

    func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await stream(request, context: context, alsoWhile: nil)
    }

    /// `alsoWhile`: a further condition checked with the key (a console session still live), ending the stream
    /// when it fails.
    func stream(
        _ request: Request, context: AppRequestContext, alsoWhile condition: (@Sendable () async throws -> Bool)?
    ) async throws -> Response {
        let access = try context.authorize(request, .caseworker)
        let start: StreamPosition
        if let header = request.headers[.lastEventID] {
            guard let parsed = StreamPosition(header.trimmingCharacters(in: CharacterSet.whitespaces)) else {
                throw AppError.invalid(field: "Last-Event-ID", "must be an id this stream sent, e.g. 1234.56")
            }
            start = parsed
        } else {
            start = try await notifications.streamStart()
        }
        let notifications = self.notifications
        let fanout = self.fanout
        let heartbeat = self.heartbeat
        let resolver = self.resolver
        let keyHash = context.keyHash
        let logger = context.logger
        let slot = try keyHash.map { key in
            guard let granted = limiter.acquire(key) else {
                var refusal = AppError(.tooManyRequests, detail: "this key has \(limiter.perKey) live streams open already; close one first")
                refusal.headers[.retryAfter] = "10"
                throw refusal
            }
            return granted
        }
        let body = ResponseBody { writer in
            // Held for as long as the stream runs; given back when this body is done with (or never runs).
            withExtendedLifetime(slot) {}
            let (subscription, wakeUps, wake) = fanout.subscribe()
            // Poll as well as listen: rows can become deliverable without a NOTIFY (an older transaction ends).
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: min(Self.poll, heartbeat))
                    wake.yield()
                }
            }
            defer {
                ticker.cancel()
                fanout.unsubscribe(subscription)
            }
            var position = start
            var lastWrite = ContinuousClock.now
            var lastKeyCheck = ContinuousClock.now
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                try await withGracefulShutdownHandler {
                    for await _ in wakeUps {
                        // A revoked key ends what it opened: the stream closes within the key cache's bounded age.
                        if ContinuousClock.now - lastKeyCheck >= Self.keyCheck {
                            guard let keyHash, try await resolver.principal(forKeyHash: keyHash) != nil else {
                                logger.info("live stream closed: its key was revoked")
                                break
                            }
                            if let condition, try await !condition() {
                                logger.info("live stream closed: its console session ended")
                                break
                            }
                            lastKeyCheck = .now
                        }
                        var delivered: [(NotificationRecord, StreamPosition)]
                        repeat {
                            delivered = try await notifications.stream(after: position, limit: Self.batch, access: access)
                            for (record, next) in delivered {
                                let json = String(decoding: try JSONCoding.encoder.encode(NotificationDTO(record)), as: UTF8.self)
                                try await writer.write(ByteBuffer(string: "id: \(next)\nevent: \(record.kind)\ndata: \(json)\n\n"))
                                position = next
                                lastWrite = .now
                            }
                        } while delivered.count == Self.batch
                        if ContinuousClock.now - lastWrite >= heartbeat {
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                            lastWrite = .now
                        }
                    }
                } onGracefulShutdown: {
                    fanout.unsubscribe(subscription)  // ends `wakeUps`, so the loop above ends
                }
            } catch {
                logger.debug("notification stream ended", metadata: ["error_type": "\(type(of: error))"])
            }
            try? await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .xAccelBuffering: "no"], body: body)
    }
}
