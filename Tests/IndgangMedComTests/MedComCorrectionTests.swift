import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

/// Corrections and cancellations beyond the official scenarios, built from the examples by editing them.
@Suite("Corrections and cancellations")
struct MedComCorrectionTests {
    static let stin = "b9b4818e-02de-4cc4-b418-d20cbc399006"
    static let correction = "bd146532-0884-407d-85e2-da9a0c399006"

    /// RE_STIN_O as another correction: its own MessageHeader.id, sending time and admission time.
    static func correction(id: String, sent: String, start: String) throws -> Data {
        try Fixtures.edit(
            Fixtures.data("RE_STIN_O"),
            [
                (["entry", 0, "resource", "id"], id), (["entry", 0, "fullUrl"], "MessageHeader/\(id)"),
                (["entry", 2, "resource", "period", "start"], start), (["entry", 5, "resource", "target", 0, "reference"], "MessageHeader/\(id)"),
                (["entry", 5, "resource", "occurredDateTime"], sent), (["entry", 5, "resource", "recorded"], sent),
            ])
    }

    @Test("the latest correction by the sender's clock wins, whichever arrives last")
    func latestWins() throws {
        let early = try Self.correction(id: "re-early", sent: "2023-03-01T15:00:00+01:00", start: "2023-03-01T08:00:00+01:00")
        let late = try Self.correction(id: "re-late", sent: "2023-03-01T16:00:00+01:00", start: "2023-03-01T09:00:00+01:00")
        for order in [[early, late], [late, early]] {
            var receiver = SimulatedReceiver()
            receiver.receive(try Fixtures.data("STIN_O"))
            for body in order { receiver.receive(body) }
            #expect(receiver.live.map { RFC3339.format($0.event.occurredAt) } == ["2023-03-01T08:00:00.000Z"])
        }
    }

    @Test("a cancellation naming the correction cancels the corrected admission")
    func cancelAfterCorrection() throws {
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("STIN_O"))
        receiver.receive(try Fixtures.data("RE_STIN_O"))
        let cancel = try Fixtures.data(
            "AN_STIN_N",
            rewriting: [Self.stin: Self.correction, "5a6c371c-cc13-417e-a5c5-f65ee8bad8e1": "01a37861-3f08-4c3f-b70d-ddec2527f858"])
        guard case .accepted(let acceptance) = receiver.receive(cancel).outcome else {
            Issue.record("the cancellation should be accepted")
            return
        }
        #expect(acceptance.events.map(\.type) == [.eventRetracted])
        #expect(acceptance.events.first?.target?.id == Self.stin)
        #expect(receiver.live.isEmpty)
        // A further correction of the cancelled stay changes nothing: a retracted event is never posted again.
        let (after, _) = receiver.receive(try Self.correction(id: "re-after", sent: "2023-03-02T10:00:00+01:00", start: "2023-03-01T07:00:00+01:00"))
        guard case .accepted(let nothing) = after else {
            Issue.record("a correction of a cancelled stay is acknowledged")
            return
        }
        #expect(nothing.events.isEmpty && receiver.live.isEmpty)
    }

    @Test("cancelling the STAA takes the admission back and makes the STIN's priority unknown again")
    func cancelledEmergency() throws {
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("TEK_STAA_A"))
        receiver.receive(try Fixtures.data("TEK_STIN_B"))
        let cancel = try Fixtures.data(
            "AN_STIN_N",
            rewriting: [
                Self.stin: "i50fc5fe-2d11-4ef3-acac-2e2e5c399006", "5a6c371c-cc13-417e-a5c5-f65ee8bad8e1": "c10697b6-8d7a-4d2d-ae93-f7f56abd52cc",
                "cancel-admit-inpatient": "cancel-admit-emergency",
            ])
        guard case .accepted(let acceptance) = receiver.receive(cancel).outcome else {
            Issue.record("the cancellation should be accepted")
            return
        }
        #expect(acceptance.code == "AN_STAA")
        #expect(acceptance.events.map(\.type) == [.eventCorrected, .eventRetracted])
        #expect(acceptance.events[0].correctedAttributes?["admission"] == "unknown")
        #expect(receiver.live.map { $0.event.attributes["admission"] } == ["unknown"])
    }

    @Test("a cancellation of the wrong kind of message is refused")
    func wrongKindOfCancellation() throws {
        var receiver = SimulatedReceiver()
        receiver.receive(try Fixtures.data("STIN_N"))
        let cancel = try Fixtures.data("AN_STIN_N", rewriting: ["cancel-admit-inpatient": "cancel-end-leave-inpatient"])
        #expect(receiver.receive(cancel).outcome?.acknowledgementCode == .fatalError)
        #expect(receiver.live.count == 1)
    }
}
