import Foundation
import IndgangCore
@testable import IndgangStore
import Testing

@Suite("Group commit of single events")
struct GroupCommitTests {
    /// Holds the first transaction open until released, and records what each transaction took.
    actor Transactions {
        private(set) var taken: [[String]] = []
        private var held: CheckedContinuation<Void, Never>?
        private var holding = true

        func run(_ items: [IngestSession.Pending]) async -> [Result<IngestResult, any Error>] {
            taken.append(items.map(\.event.externalID))
            if taken.count == 1, holding { await withCheckedContinuation { held = $0 } }
            // Each answer names its own event, so the test can see that it reached the right caller.
            return items.map { item in .success(IngestResult(eventID: Self.id(item.event.externalID), effects: [])) }
        }

        func release() {
            holding = false
            held?.resume()
            held = nil
        }

        static func id(_ externalID: String) -> UUID { UUID(uuidString: "00000000-0000-0000-0000-\(String(repeating: "0", count: 12 - externalID.count))\(externalID)")! }
    }

    static func item(_ id: Int) throws -> IngestSession.Pending {
        let event = IncomingEvent(
            source: "test", externalID: "\(id)", type: .hospitalAdmitted, occurredAt: Date(timeIntervalSince1970: 0), cpr: try CPR(parsing: "0101501234"),
            attributes: [:])
        let access = AccessContext(principal: Principal(keyID: nil, actorID: nil, actorSlug: nil, role: .integration))
        return IngestSession.Pending(event: event, digest: Data(), index: Data(), access: access)
    }

    @Test("a lone request starts at once; requests arriving meanwhile go together, at most maximumBatch at a time")
    func coalesces() async throws {
        let coalescer = GroupCommit<IngestSession.Pending, IngestResult>(maximumInFlight: 1, maximumBatch: 5)
        let transactions = Transactions()
        let work: GroupCommit<IngestSession.Pending, IngestResult>.Work = { await transactions.run($0) }
        try await withThrowingTaskGroup(of: (Int, UUID).self) { group in
            let first = try Self.item(0)
            group.addTask { (0, try await coalescer.submit(first, work: work).get().eventID) }
            while await transactions.taken.isEmpty { await Task.yield() }
            for id in 1...7 {
                let item = try Self.item(id)
                group.addTask { (id, try await coalescer.submit(item, work: work).get().eventID) }
            }
            while await coalescer.queued < 7 { await Task.yield() }
            await transactions.release()
            for try await (id, answer) in group {
                #expect(answer == Transactions.id("\(id)"))
            }
        }
        let taken = await transactions.taken
        #expect(taken.map(\.count) == [1, 5, 2])
        #expect(Set(taken.flatMap { $0 }) == Set((0...7).map { "\($0)" }))
    }
}
