import NIOConcurrencyHelpers

/// Work whose caller may stop waiting for it: the answer is the work's result, or the reason `abandon` gives
/// first, whichever comes first. A task group would wait for its child before returning; here late work is
/// cancelled and left to finish on its own (or never, if what it waits for never answers).
public enum Abandonable {
    /// `abandon` is called once, with a function that gives up waiting with an error.
    public static func run<T: Sendable>(
        _ work: @escaping @Sendable () async throws -> T, abandon: (@escaping @Sendable (any Error) -> Void) -> Void
    ) async throws -> T {
        let resumed = NIOLockedValueBox(false)
        let running = NIOLockedValueBox<Task<Void, Never>?>(nil)
        // The work runs in a task of its own (so that it can be left behind); the caller's cancellation reaches it.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let task = Task<Void, Never> {
                    let result: Result<T, any Error>
                    do { result = .success(try await work()) } catch { result = .failure(error) }
                    if resumed.withLockedValue({ done in defer { done = true }; return !done }) { continuation.resume(with: result) }
                }
                running.withLockedValue { $0 = task }
                if Task.isCancelled { task.cancel() }
                abandon { reason in
                    guard resumed.withLockedValue({ done in defer { done = true }; return !done }) else { return }
                    task.cancel()
                    continuation.resume(throwing: reason)
                }
            }
        } onCancel: {
            running.withLockedValue { $0?.cancel() }
        }
    }
}

/// Runs work with a deadline and answers when it passes even if the work does not end then (a connection-pool
/// lease waiting for a database that is down ignores cancellation for a while).
public enum Deadline {
    public struct Exceeded: Error {}

    public static func run<T: Sendable>(within timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        // The timer ends with the work: otherwise every call would leave a task asleep for the whole timeout.
        let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
        defer { timer.withLockedValue { $0?.cancel() } }
        return try await Abandonable.run(body) { giveUp in
            timer.withLockedValue {
                $0 = Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    giveUp(Exceeded())
                }
            }
        }
    }
}
