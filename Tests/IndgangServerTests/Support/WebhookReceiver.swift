import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers

/// A real HTTP server on loopback that records webhook requests and answers as told: the subscriber in
/// webhook tests (no mocks of the HTTP client).
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let headers: HTTPFields
        let body: Data
    }

    let port: Int
    private let received = NIOLockedValueBox<[Received]>([])
    /// Status to answer per path; default 204.
    private let answers = NIOLockedValueBox<[String: [HTTPResponse.Status]]>([:])
    /// How long to wait before answering, per path; default not at all.
    private let delays = NIOLockedValueBox<[String: Duration]>([:])
    private let task: Task<Void, any Error>

    var requests: [Received] { received.withLockedValue { $0 } }

    init() async throws {
        let port = ChildProcess.freePort()
        self.port = port
        let router = Router()
        let received = self.received
        let answers = self.answers
        let delays = self.delays
        router.post("{path}") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let path = context.parameters.get("path") ?? ""
            received.withLockedValue { $0.append(Received(path: path, headers: request.headers, body: Data(buffer: body))) }
            if let delay = delays.withLockedValue({ $0[path] }) { try await Task.sleep(for: delay) }
            let status = answers.withLockedValue { answers -> HTTPResponse.Status in
                guard var queue = answers[path], !queue.isEmpty else { return .noContent }
                let next = queue.count > 1 ? queue.removeFirst() : queue[0]  // the last answer repeats
                answers[path] = queue
                return next
            }
            return Response(status: status, headers: status == .found ? [.location: "http://127.0.0.1:1/elsewhere"] : [:])
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        task = Task { try await app.run() }
        for _ in 0..<100 {
            if (try? await HTTPProbe.send("GET", "http://127.0.0.1:\(port)/ready")) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Answers for `path`, in order; the last one repeats.
    func answer(_ path: String, with statuses: [HTTPResponse.Status]) {
        answers.withLockedValue { $0[path] = statuses }
    }

    /// Answers requests to `path` only after `delay` (a receiver that is slow, or hangs past the sender's timeout).
    func delay(_ path: String, by delay: Duration) {
        delays.withLockedValue { $0[path] = delay }
    }

    func requests(to path: String) -> [Received] { requests.filter { $0.path == path } }

    func stop() {
        task.cancel()
    }
}
