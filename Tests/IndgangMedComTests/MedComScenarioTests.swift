import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

/// The README's scenarios as message sequences through `SimulatedReceiver`, checking the end state.
@Suite("Scenarios of the official examples")
struct MedComScenarioTests {
    static let episode = "https://sor2.sum.dsdn.dk/#id=265161000016000|"

    @Test("A, a leave: admitted, leave started, leave ended")
    func leave() throws {
        var receiver = SimulatedReceiver()
        for name in ["STIN_G", "STOR_G", "SLOR_G"] { receiver.receive(try Fixtures.data(name)) }
        let stay = "episode_id=\(Self.episode)04675bbd-c540-4545-924c-1fa79b64535c"
        #expect(
            receiver.facts == [
                "hospital.admitted@2023-03-01T11:00:00.000Z admission=unknown,department=265161000016000,\(stay),setting=inpatient",
                "hospital.leave_started@2023-03-03T13:00:10.000Z \(stay)",
                "hospital.leave_ended@2023-03-05T14:30:00.000Z \(stay)",
            ])
    }

    static let outOfOrder = ["TEK_STAA_A", "TEK_SLHJ_A", "TEK_STIN_B"]

    @Test("B, out of order (STAA, SLHJ, late STIN): discharged, and the admission is acute")
    func lateAdmission() throws {
        var receiver = SimulatedReceiver()
        for name in Self.outOfOrder { receiver.receive(try Fixtures.data(name)) }
        let stay = "episode_id=\(Self.episode)c10697b6-8d7a-4d2d-ae93-f7f56abd52cc"
        #expect(
            receiver.facts == [
                "hospital.admitted@2023-02-28T09:00:04.000Z admission=acute,department=265161000016000,\(stay),setting=acute_ambulant",
                "hospital.admitted@2023-03-01T14:00:00.000Z admission=acute,department=265161000016000,\(stay),setting=inpatient",
                "hospital.discharged@2023-03-03T14:00:00.000Z discharged_to=home,\(stay)",
            ])
        #expect(receiver.live.last?.event.type == .hospitalDischarged)
    }

    @Test("B in every order ends in the same state; a STAA after its STIN corrects the STIN to acute")
    func everyOrder() throws {
        var reference = SimulatedReceiver()
        for name in Self.outOfOrder { reference.receive(try Fixtures.data(name)) }
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            var receiver = SimulatedReceiver()
            for index in order { receiver.receive(try Fixtures.data(Self.outOfOrder[index])) }
            #expect(receiver.facts == reference.facts, "order \(order)")
        }
        var late = SimulatedReceiver()
        late.receive(try Fixtures.data("TEK_STIN_B"))
        let (outcome, _) = late.receive(try Fixtures.data("TEK_STAA_A"))
        guard case .accepted(let acceptance) = outcome else {
            Issue.record("the STAA should be accepted")
            return
        }
        #expect(acceptance.events.map(\.type) == [.hospitalAdmitted, .eventCorrected])
        let correction = acceptance.events[1]
        #expect(correction.target == .init(source: "medcom:265161000016000", id: "a9b73218-820c-4db4-9fb7-59e498399006", type: .hospitalAdmitted))
        #expect(correction.id == "i50fc5fe-2d11-4ef3-acac-2e2e5c399006#correct:a9b73218-820c-4db4-9fb7-59e498399006")
        #expect(correction.correctedAttributes?["admission"] == "acute")
        #expect(correction.correctedOccurredAt == nil && correction.attributes["occurred_at"] == nil)
        #expect(correction.needsActor)
    }

    @Test("C, admitted then cancelled: the admission is retracted; a cancellation first waits (transient-error)")
    func cancellation() throws {
        var receiver = SimulatedReceiver()
        let (early, earlyAcknowledgement) = receiver.receive(try Fixtures.data("AN_STIN_N"))
        #expect(early?.acknowledgementCode == .transientError)
        #expect(try MedComMessage(json: #require(earlyAcknowledgement)).header.response?.code == "transient-error")
        receiver.receive(try Fixtures.data("STIN_N"))
        #expect(receiver.live.count == 1)
        let (outcome, _) = receiver.receive(try Fixtures.data("AN_STIN_N"))
        guard case .accepted(let acceptance) = outcome else {
            Issue.record("the resent cancellation should be accepted")
            return
        }
        #expect(acceptance.code == "AN_STIN")
        #expect(acceptance.events.count == 1)
        let retraction = acceptance.events[0]
        #expect(retraction.type == .eventRetracted)
        #expect(retraction.attributes == ["source": "medcom:265161000016000", "id": "b9b4818e-02de-4cc4-b418-d20cbc399006"])
        #expect(retraction.occurredAt == Fixtures.time("2023-03-01T14:00:02+01:00"))
        #expect(!retraction.needsActor)
        #expect(receiver.live.isEmpty)
    }

    @Test("D, admitted then corrected: the admission's time becomes the corrected one")
    func correction() throws {
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("STIN_O"))
        let (outcome, _) = receiver.receive(try Fixtures.data("RE_STIN_O"))
        guard case .accepted(let acceptance) = outcome else {
            Issue.record("the correction should be accepted")
            return
        }
        let draft = try #require(acceptance.events.first)
        #expect(acceptance.events.count == 1 && draft.type == .eventCorrected)
        #expect(draft.correctedOccurredAt == Fixtures.time("2023-03-01T08:00:00+01:00"))
        #expect(draft.attributes["occurred_at"] == "2023-03-01T07:00:00.000Z")
        #expect(draft.correctedAttributes == nil)
        #expect(receiver.live.map { RFC3339.format($0.event.occurredAt) } == ["2023-03-01T07:00:00.000Z"])
    }

    @Test("E, died during leave: with the stay's STIN and STOR, admitted, leave started, discharged died, died")
    func diedDuringLeave() throws {
        var receiver = SimulatedReceiver()
        let sameStay = ["04675bbd-c540-4545-924c-1fa79b64535c": "d340897d-f650-4589-abe7-95ae467623f7"]
        receiver.receive(try Fixtures.data("STIN_G", rewriting: sameStay))
        receiver.receive(try Fixtures.data("STOR_G", rewriting: sameStay))
        receiver.receive(try Fixtures.data("MORS_L"))
        #expect(receiver.live.map(\.event.type) == [.hospitalAdmitted, .hospitalLeaveStarted, .hospitalDischarged, .citizenDied])
        #expect(receiver.live[2].event.attributes["discharged_to"] == "died")
    }

    @Test("F, dead on arrival: admitted, discharged died and died at one instant, read in that order")
    func deadOnArrival() throws {
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("MORS_J"))
        #expect(receiver.live.map(\.event.type) == [.hospitalAdmitted, .hospitalDischarged, .citizenDied])
        #expect(Set(receiver.live.map(\.event.occurredAt)).count == 1)
    }

    @Test("RE_MORS corrects the death's time; AN_MORS takes the death back and leaves the admission")
    func deathCorrectedAndCancelled() throws {
        let original = "7aad69cb-e04a-403e-b549-9fe28a399006"
        func followUp(id: String, deceased: Bool, role: String, sent: String, end: String) throws -> Data {
            try Fixtures.edit(
                Fixtures.data("MORS_J"),
                [
                    (["entry", 0, "resource", "id"], id), (["entry", 0, "fullUrl"], "MessageHeader/\(id)"),
                    (["entry", 1, "resource", "deceasedBoolean"], deceased), (["entry", 2, "resource", "period", "end"], end),
                    (["entry", 5, "resource", "target", 0, "reference"], "MessageHeader/\(id)"),
                    (["entry", 5, "resource", "occurredDateTime"], sent), (["entry", 5, "resource", "recorded"], sent),
                    (["entry", 5, "resource", "entity"], [["role": role, "what": ["reference": "MessageHeader/\(original)"]]]),
                ])
        }
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("MORS_J"))
        let (revised, _) = receiver.receive(
            try followUp(id: "re-mors-1", deceased: true, role: "revision", sent: "2023-03-01T13:00:00+01:00", end: "2023-03-01T12:30:00+01:00"))
        guard case .accepted(let acceptance) = revised else {
            Issue.record("RE_MORS should be accepted")
            return
        }
        #expect(acceptance.code == "RE_MORS")
        #expect(acceptance.events.map(\.type) == [.eventCorrected, .eventCorrected])
        #expect(acceptance.events.map { $0.target?.id } == ["\(original)#death-discharge", "\(original)#died"])
        #expect(receiver.live.map { RFC3339.format($0.event.occurredAt) }.last == "2023-03-01T11:30:00.000Z")
        let (cancelled, _) = receiver.receive(
            try followUp(id: "an-mors-1", deceased: false, role: "removal", sent: "2023-03-01T14:00:00+01:00", end: "2023-03-01T12:30:00+01:00"))
        guard case .accepted(let cancellation) = cancelled else {
            Issue.record("AN_MORS should be accepted")
            return
        }
        #expect(cancellation.code == "AN_MORS")
        #expect(cancellation.events.map(\.type) == [.eventRetracted, .eventRetracted])
        #expect(receiver.live.map(\.event.type) == [.hospitalAdmitted])
    }

    @Test("G, the invalid TEK_FCC: fatal-error naming the element, nothing stored")
    func invalid() throws {
        var receiver = SimulatedReceiver()
        let (outcome, acknowledgement) = receiver.receive(try Fixtures.data("TEK_FCC"))
        #expect(outcome == nil)
        let answer = try MedComMessage(json: #require(acknowledgement))
        #expect(answer.header.response?.code == "fatal-error")
        #expect(answer.header.response?.identifier == "c4888e5e-ec5c-4b16-a875-7b287e63e214")
        #expect(answer.operationOutcome?.issues.first?.text?.hasPrefix("Bundle.entry[0].resource.eventCoding") == true)
        #expect(receiver.events.isEmpty && receiver.histories.isEmpty)
    }

    @Test("a duplicate gets the identical acknowledgement and causes no second event")
    func duplicate() throws {
        var receiver = SimulatedReceiver()
        let first = receiver.receive(try Fixtures.data("STIN_G"))
        let second = receiver.receive(try Fixtures.data("STIN_G"))
        #expect(second.outcome == .ignored(.duplicate))
        #expect(first.acknowledgement == second.acknowledgement)
        #expect(receiver.posted.count == 1)
        // Even without the receiver's own dedupe, mapping the same message again posts nothing new.
        let message = try Fixtures.message("STIN_G")
        let history = receiver.histories[try #require(MedComEpisodeKey(message))] ?? []
        #expect(MedComMapper.map(message, history: history, mayKeep: Fixtures.keepAll) == .ignored(.duplicate))
    }

    @Test("all scenarios through one receiver, with the reused MessageHeader ids rewritten apart")
    func allTogether() throws {
        let shared = "b9b4818e-02de-4cc4-b418-d20cbc399006"
        let cancelled = [shared: "c0000000-0000-4000-8000-00000000000c"]
        let corrected = [shared: "d0000000-0000-4000-8000-00000000000d"]
        var receiver = SimulatedReceiver()
        let sequence: [Data] = [
            try Fixtures.data("STIN_G"), try Fixtures.data("STOR_G"), try Fixtures.data("SLOR_G"),
            try Fixtures.data("STIN_N", rewriting: cancelled), try Fixtures.data("AN_STIN_N", rewriting: cancelled),
            try Fixtures.data("STIN_O", rewriting: corrected), try Fixtures.data("RE_STIN_O", rewriting: corrected),
            try Fixtures.data("TEK_STAA_A"), try Fixtures.data("TEK_SLHJ_A"), try Fixtures.data("TEK_STIN_B"),
            try Fixtures.data("MORS_L"), try Fixtures.data("MORS_J"), try Fixtures.data("TEK_FCC"),
        ]
        let codes = sequence.map { receiver.receive($0).outcome?.acknowledgementCode }
        #expect(codes == [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, nil])
        #expect(receiver.histories.count == 6)
        // 3 (leave) + 0 (cancelled) + 1 (corrected) + 3 (out of order) + 2 (died on leave) + 3 (dead on arrival)
        #expect(receiver.live.count == 12)
        for draft in receiver.posted { #expect(!draft.id.isEmpty && draft.id.count <= 200) }
    }
}
