import NIOConcurrencyHelpers

/// Runs `body` with a deadline and answers when the deadline passes even if `body` does not end then (a
/// connection-pool lease waiting for a database that is down ignores cancellation for a while). A task group
/// would wait for its child before returning; here the late body is cancelled and left to finish on its own.
enum Deadline {
    struct Exceeded: Error {}

    static func run<T: Sendable>(within timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let resumed = NIOLockedValueBox(false)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            @Sendable func finish(_ result: Result<T, any Error>) {
                guard resumed.withLockedValue({ done in defer { done = true }; return !done }) else { return }
                continuation.resume(with: result)
            }
            let work = Task { finish(await Result(catching: body)) }
            Task {
                try? await Task.sleep(for: timeout)
                work.cancel()
                finish(.failure(Exceeded()))
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
