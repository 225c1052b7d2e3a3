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
    let limiter: ConcurrencyLimit
    static let poll = Duration.seconds(1)
    static let keyCheck = Duration.seconds(1)
    static let batch = 200
    /// How long reads may keep failing before the stream ends (the contract's revocation deadline is 5 s).
    static let outageTolerance = Duration.seconds(4)

    /// A read of the stream's that failed (the database, not the client).
    private struct ReadFailed: Error {}

    private static func read<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ReadFailed()
        }
    }

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
            try limiter.slot(key, retryAfter: 10, refusal: "this key has \(limiter.perKey) live streams open already; close one first")
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
                    var failingSince: ContinuousClock.Instant?
                    streaming: for await _ in wakeUps {
                        do {
                            // A revoked key ends what it opened: the stream closes within the key cache's bounded age.
                            if ContinuousClock.now - lastKeyCheck >= Self.keyCheck {
                                guard let keyHash, try await Self.read({ try await resolver.principal(forKeyHash: keyHash) }) != nil else {
                                    logger.info("live stream closed: its key was revoked")
                                    break streaming
                                }
                                if let condition, try await !Self.read(condition) {
                                    logger.info("live stream closed: its console session ended")
                                    break streaming
                                }
                                lastKeyCheck = .now
                            }
                            var delivered: [(NotificationRecord, StreamPosition)]
                            repeat {
                                delivered = try await Self.read { try await notifications.stream(after: position, limit: Self.batch, access: access) }
                                for (record, next) in delivered {
                                    let json = String(decoding: try JSONCoding.encoder.encode(NotificationDTO(record)), as: UTF8.self)
                                    try await writer.write(ByteBuffer(string: "id: \(next)\nevent: \(record.kind)\ndata: \(json)\n\n"))
                                    position = next
                                    lastWrite = .now
                                }
                            } while delivered.count == Self.batch && !Task.isShuttingDownGracefully
                            failingSince = nil
                        } catch is ReadFailed {
                            // A killed connection or a short outage: try again at the next wake-up. A key that cannot be
                            // checked for longer than a revocation may take ends the stream; the client reconnects
                            // with Last-Event-ID and loses nothing.
                            let since = failingSince ?? .now
                            failingSince = since
                            if ContinuousClock.now - since >= Self.outageTolerance {
                                logger.info("live stream closed: the database is unreachable")
                                break streaming
                            }
                        }
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
