/// Group commit. Concurrent callers' work is written together: a caller that arrives while `maximumInFlight`
/// transactions are already running waits for one of them to finish and then goes, with every other caller that
/// arrived meanwhile, in one transaction. A lone caller starts at once, so this adds no latency when the service is
/// quiet; under load it turns many small transactions (each with its round trips and its commit flush) into few
/// larger ones. Every caller still gets its answer only after its transaction has committed. Used for single
/// events (`POST /v1/events`) and for the audit rows of reads.
actor GroupCommit<Item: Sendable, Output: Sendable> {
    typealias Reply = CheckedContinuation<Result<Output, any Error>, Never>
    typealias Work = @Sendable ([Item]) async -> [Result<Output, any Error>]

    private let maximumInFlight: Int
    private let maximumBatch: Int
    private var waiting: [(item: Item, reply: Reply, work: Work)] = []
    private var inFlight = 0

    /// Callers waiting for a transaction to take them.
    var queued: Int { waiting.count }

    init(maximumInFlight: Int, maximumBatch: Int) {
        self.maximumInFlight = maximumInFlight
        self.maximumBatch = maximumBatch
    }

    /// Runs `item` through `work` together with whatever else is waiting; `work` answers one result per item,
    /// in order.
    func submit(_ item: Item, work: @escaping Work) async -> Result<Output, any Error> {
        await withCheckedContinuation { reply in
            waiting.append((item, reply, work))
            startIfPossible()
        }
    }

    private func startIfPossible() {
        guard inFlight < maximumInFlight, let work = waiting.first?.work else { return }
        let taken = Array(waiting.prefix(maximumBatch))
        waiting.removeFirst(taken.count)
        inFlight += 1
        Task {
            let results = await work(taken.map(\.item))
            for (index, entry) in taken.enumerated() {
                entry.reply.resume(returning: index < results.count ? results[index] : .failure(CancellationError()))
            }
            finished()
        }
    }

    private func finished() {
        inFlight -= 1
        startIfPossible()
    }
}
