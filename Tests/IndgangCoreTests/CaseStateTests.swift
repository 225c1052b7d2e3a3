import Foundation
import IndgangCore
import Testing

/// SplitMix64: a tiny seeded generator, so every property-test failure can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Warm handoff rules")
struct CaseStateTests {
    let actors = (0..<4).map { _ in UUID() }

    @Test("a handoff moves responsibility only when the receiver accepts")
    func acceptMovesResponsibility() throws {
        var state = CaseState(responsible: actors[0])
        let id = UUID()
        try state.requestHandoff(id: id, by: actors[0], to: actors[1])
        #expect(state.responsible == actors[0])
        let handoff = try #require(state.openHandoff)
        #expect(try state.decide(.accept, on: handoff, by: actors[1]))
        #expect(state.responsible == actors[1])
        #expect(state.openHandoff == nil)
        var decided = handoff
        decided.status = .accepted
        #expect(try state.decide(.accept, on: decided, by: actors[1]) == false)  // idempotent repeat
        #expect(throws: IndgangError.self) { try state.decide(.reject, on: decided, by: actors[1]) }
    }

    @Test("requests are checked: responsible actor only, not to itself, one at a time, open cases only")
    func requestRules() throws {
        var state = CaseState(responsible: actors[0])
        #expect(throws: IndgangError.forbidden("only the responsible actor may hand the case off")) {
            try state.requestHandoff(id: UUID(), by: actors[1], to: actors[2])
        }
        #expect(throws: IndgangError.invalid(field: "to_actor", "a case cannot be handed off to its own responsible actor")) {
            try state.requestHandoff(id: UUID(), by: actors[0], to: actors[0])
        }
        try state.requestHandoff(id: UUID(), by: actors[0], to: actors[1])
        #expect(throws: IndgangError.self) { try state.requestHandoff(id: UUID(), by: actors[0], to: actors[2]) }
        let cancelled = try state.close(by: actors[0])
        #expect(cancelled != nil)
        #expect(state.status == .closed)
        #expect(throws: IndgangError.conflict("the case is closed")) { try state.requestHandoff(id: UUID(), by: actors[0], to: actors[1]) }
    }

    @Test("only the parties may decide: receiver accepts or rejects, sender cancels")
    func partiesOnly() throws {
        var state = CaseState(responsible: actors[0])
        try state.requestHandoff(id: UUID(), by: actors[0], to: actors[1])
        let handoff = try #require(state.openHandoff)
        #expect(throws: IndgangError.self) { try state.decide(.accept, on: handoff, by: actors[0]) }
        #expect(throws: IndgangError.self) { try state.decide(.reject, on: handoff, by: actors[2]) }
        #expect(throws: IndgangError.self) { try state.decide(.cancel, on: handoff, by: actors[1]) }
        #expect(try state.decide(.cancel, on: handoff, by: actors[0]))
        #expect(state.responsible == actors[0])
    }

    enum Command: CaseIterable { case request, accept, reject, cancel, close }

    /// Random command sequences from random actors: whatever is accepted, the invariants hold after every step.
    @Test("random command sequences keep every invariant", arguments: Array(UInt64(1)...200))
    func invariantsHold(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var state = CaseState(responsible: actors[0])
        var handoffs: [UUID: HandoffState] = [:]
        var responsibleHistory = [actors[0]]
        for _ in 0..<60 {
            let actor = actors.randomElement(using: &random)!
            let before = state
            switch Command.allCases.randomElement(using: &random)! {
            case .request:
                let id = UUID()
                let receiver = actors.randomElement(using: &random)!
                if (try? state.requestHandoff(id: id, by: actor, to: receiver)) != nil {
                    handoffs[id] = state.openHandoff
                    #expect(before.openHandoff == nil && before.status == .open && before.responsible == actor && receiver != actor)
                }
            case .accept, .reject, .cancel:
                let action: HandoffAction = [.accept, .reject, .cancel].randomElement(using: &random)!
                guard let target = handoffs.values.randomElement(using: &random) else { continue }
                if let changed = try? state.decide(action, on: target, by: actor), changed {
                    handoffs[target.id]?.status = action.resultingStatus
                    #expect(before.openHandoff?.id == target.id)
                    if action == .accept { responsibleHistory.append(target.to) }
                }
            case .close:
                do {
                    let cancelled = try state.close(by: actor)
                    #expect(before.responsible == actor)
                    if let cancelled { handoffs[cancelled.id]?.status = .cancelled }
                } catch {}
            }
            // Invariants: responsibility changes only by an accept, to the receiver; one open handoff at most.
            if state.responsible != before.responsible {
                #expect(responsibleHistory.last == state.responsible)
                #expect(before.openHandoff?.to == state.responsible)
            }
            #expect(handoffs.values.filter { $0.status.isOpen }.count <= 1)
            #expect(handoffs.values.first { $0.status.isOpen }?.id == state.openHandoff?.id)
            if state.status == .closed { #expect(state.openHandoff == nil) }
            if before.status == .closed { #expect(state == before) }
        }
    }
}

@Suite("Stored values")
struct StoredValueTests {
    @Test("a stored value the code does not know is an error, never a default (an unknown handoff status is not pending)")
    func unknownValues() {
        #expect(throws: UnknownStoredValue.self) { try HandoffStatus(decoding: "paused") }
        #expect(throws: UnknownStoredValue.self) { try CaseStatus(decoding: "archived") }
        #expect((try? HandoffStatus(decoding: "overdue")) == .overdue)
    }
}
