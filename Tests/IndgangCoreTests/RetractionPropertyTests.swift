import Foundation
import IndgangCore
import Testing

/// Retraction and correction in the pure core: the history the rules read, the revision of the plan, and what
/// an undone effect does (issue 14).
@Suite("Retraction and correction")
struct RetractionPropertyTests {
    let engine = PathwayEngine(pathways: BuiltInPathways.all)

    static func amendment(_ target: CitizenEvent, _ change: EventAmendment.Change, found: Date = day("2027-01-01"), id: String = "fix")
        -> EventAmendment
    {
        EventAmendment(target: target.id, change: change, occurredAt: found, source: "fix", externalID: id)
    }

    func values(_ plan: [PlannedEffect]) -> [String: String] {
        Dictionary(plan.map { ($0.slot, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// A random history, sometimes ending in a death, and one of its events picked at random.
    static func history(seed: UInt64) -> (events: [CitizenEvent], born: CalendarDate, picked: CitizenEvent, random: SeededGenerator) {
        var random = SeededGenerator(seed: seed)
        var (builder, born) = HistoryBuilder.random(using: &random)
        if Bool.random(using: &random) { _ = builder.add(.citizenDied, at: builder.events.last!.occurredAt.addingTimeInterval(3600)) }
        return (builder.events, born, builder.events.randomElement(using: &random)!, random)
    }

    @Test("retracting an event gives the effects of the history without it; the revision carries the old plan there", arguments: Array(UInt64(1)...80))
    func retraction(seed: UInt64) {
        let (events, born, picked, _) = Self.history(seed: seed)
        let amended = EventAmendment.applied([Self.amendment(picked, .retraction)], to: events)
        let without = events.filter { $0.id != picked.id }
        #expect(amended == without)
        let before = engine.plan(birthDate: born, history: events)
        let revision = engine.revise(birthDate: born, from: events, to: amended)
        #expect(values(revision.all) == values(engine.plan(birthDate: born, history: without)))
        #expect(revision.carry(values(before)) == values(revision.all))
        // Every effect of the retracted event goes.
        #expect(revision.all.allSatisfy { $0.eventID != picked.id })
        #expect(before.filter { $0.eventID == picked.id }.allSatisfy { effect in revision.removed.contains { $0.slot == effect.slot } })
    }

    @Test("correcting an event gives the effects of the history with the corrected event", arguments: Array(UInt64(1)...80))
    func correction(seed: UInt64) {
        var (events, born, picked, random) = Self.history(seed: seed)
        let original = events
        let time = picked.occurredAt.addingTimeInterval(Double(Int.random(in: -10...10, using: &random)) * 86_400)
        var attributes: [String: String]?
        if picked.type == .hospitalDischarged {
            attributes = picked.attributes
            attributes?["discharged_to"] = ["home", "other_hospital", "died"].randomElement(using: &random)!
        }
        let change = EventAmendment.Change.correction(occurredAt: time, attributes: attributes)
        let corrected = CitizenEvent(
            id: picked.id, source: picked.source, externalID: picked.externalID, type: picked.type, occurredAt: time,
            attributes: attributes ?? picked.attributes, actorKind: picked.actorKind)
        let amended = EventAmendment.applied([Self.amendment(picked, change)], to: events)
        events = events.map { $0.id == picked.id ? corrected : $0 }
        #expect(amended == events)
        let before = engine.plan(birthDate: born, history: original)
        let revision = engine.revise(birthDate: born, from: original, to: amended)
        #expect(values(revision.all) == values(engine.plan(birthDate: born, history: events)))
        #expect(revision.carry(values(before)) == values(revision.all))
    }

    @Test("in any arrival order, with a retraction that arrives too early resent at the end, the effects are those of the history without the event",
          arguments: Array(UInt64(1)...40))
    func retractionInAnyArrivalOrder(seed: UInt64) {
        var (events, born, picked, random) = Self.history(seed: seed)
        let expected = values(engine.plan(birthDate: born, history: events.filter { $0.id != picked.id }))
        let retraction = Self.amendment(picked, .retraction)
        var applied: [String: String] = [:]
        var arrived: [CitizenEvent] = []
        var amendments: [EventAmendment] = []
        var resend = false
        events.shuffle(using: &random)
        let retractAt = Int.random(in: 0...events.count, using: &random)
        for (index, event) in (events.map(Optional.some) + [nil]).enumerated() {
            if index == retractAt || (index == events.count && resend) {
                if arrived.contains(where: { $0.id == picked.id }) {
                    let before = EventAmendment.applied(amendments, to: arrived)
                    amendments.append(retraction)
                    let revision = engine.revise(birthDate: born, from: before, to: EventAmendment.applied(amendments, to: arrived))
                    applied = revision.carry(applied)
                    resend = false
                } else {
                    resend = true  // 404: nothing stored, the sender resends later
                }
            }
            guard let event else { continue }
            let history = EventAmendment.applied(amendments, to: arrived)
            for effect in engine.newEffects(birthDate: born, history: history, adding: [event]) { applied[effect.slot] = effect.value }
            arrived.append(event)
        }
        #expect(!resend)
        #expect(applied == expected)
    }

    @Test("the latest correction wins, by when it was found, whatever order the corrections arrive in")
    func latestCorrectionWins() {
        var builder = HistoryBuilder()
        let discharge = builder.add(.hospitalDischarged, at: day("2026-03-01"), ["episode_id": "1", "discharged_to": "home", "actor": "nsh"])
        let early = Self.amendment(discharge, .correction(occurredAt: day("2026-03-02"), attributes: nil), found: day("2026-03-05"), id: "c1")
        let late = Self.amendment(
            discharge, .correction(occurredAt: nil, attributes: ["episode_id": "1", "discharged_to": "nursing_home", "actor": "other"]),
            found: day("2026-03-06"), id: "c2")
        for order in [[early, late], [late, early]] {
            let corrected = EventAmendment.applied(order, to: builder.events)
            #expect(corrected.map(\.occurredAt) == [day("2026-03-02")])
            // The later correction's attributes, but never another actor.
            #expect(corrected.first?.attributes == ["episode_id": "1", "discharged_to": "nursing_home", "actor": "nsh"])
        }
        let retracted = EventAmendment.applied([early, Self.amendment(discharge, .retraction), late], to: builder.events)
        #expect(retracted.isEmpty)
    }

    @Test("what an undone effect does: open handoffs are cancelled, accepted ones kept, a case opened only by the event closes")
    func undoDecisions() {
        typealias R = EffectUndo.Recorded
        let handoff = PlannedAction.requestHandoff(to: .slug("x"), dueAt: day("2026-03-01"), reason: "r")
        #expect(EffectUndo.decide(handoff, R(applied: false, handoff: .pending)) == .nothing)
        #expect(EffectUndo.decide(handoff, R(applied: true, handoff: .pending)) == .cancelHandoff)
        #expect(EffectUndo.decide(handoff, R(applied: true, handoff: .overdue)) == .cancelHandoff)
        #expect(EffectUndo.decide(handoff, R(applied: true, handoff: .accepted)) == .keepAcceptedHandoff)
        #expect(EffectUndo.decide(handoff, R(applied: true, handoff: .rejected)) == .nothing)
        #expect(EffectUndo.decide(handoff, R(applied: true, handoff: .cancelled)) == .nothing)

        #expect(EffectUndo.decide(.flag(.readmission), R(applied: true)) == .removeFlag)
        #expect(EffectUndo.decide(.flag(.readmission), R(applied: true, stillCalledFor: true)) == .nothing)

        let open = PlannedAction.openCase(responsible: .slug("nsh"))
        #expect(EffectUndo.decide(open, R(applied: true, caseIsOpen: true)) == .closeCase)
        #expect(EffectUndo.decide(open, R(applied: true, caseIsOpen: true, caseHadAcceptedHandoff: true)) == .keepCase)
        #expect(EffectUndo.decide(open, R(applied: true, caseIsOpen: true, stillCalledFor: true)) == .nothing)
        #expect(EffectUndo.decide(open, R(applied: true, caseIsOpen: false)) == .nothing)

        #expect(EffectUndo.decide(.closeCase(.deceased), R(applied: true, caseIsOpen: false)) == .continueClosedCase)
        #expect(EffectUndo.decide(.closeCase(.deceased), R(applied: true, caseIsOpen: false, pathwayHasOpenCase: true)) == .nothing)
        #expect(EffectUndo.decide(.escalate(reason: "r", unlessHandoffAccepted: false), R(applied: true, caseIsOpen: true)) == .nothing)
    }
}
