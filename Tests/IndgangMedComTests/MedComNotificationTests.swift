import Foundation
import Testing

@testable import IndgangMedCom

@Suite("Deciding what happened")
struct MedComNotificationTests {
    @Test(
        "each example's code comes from the current Provenance and Patient.deceased, never Encounter.status",
        arguments: [
            ("STIN_G", "STIN"), ("STIN_N", "STIN"), ("STIN_O", "STIN"), ("STOR_G", "STOR"), ("SLOR_G", "SLOR"), ("TEK_STAA_A", "STAA"),
            ("TEK_SLHJ_A", "SLHJ"), ("TEK_STIN_B", "STIN"), ("AN_STIN_N", "AN_STIN"), ("RE_STIN_O", "RE_STIN"), ("MORS_L", "MORS"),
            ("MORS_J", "MORS"),
        ])
    func codes(name: String, code: String) throws {
        let notification = try MedComNotification(Fixtures.message(name))
        #expect(notification.code == code)
    }

    @Test("MORS keeps the current activity; a cancellation and a correction name the message concerned")
    func details() throws {
        let leave = try MedComNotification(Fixtures.message("MORS_L"))
        #expect(leave.activity == .startLeave && leave.deceased && leave.previousMessageID == "e563a2b2-bf92-4b13-bbd2-0a021a399006")
        let arrival = try MedComNotification(Fixtures.message("MORS_J"))
        #expect(arrival.activity == .admitInpatient && arrival.previousMessageID == nil)
        let cancel = try MedComNotification(Fixtures.message("AN_STIN_N"))
        #expect(cancel.change == .cancellation(of: "b9b4818e-02de-4cc4-b418-d20cbc399006"))
        #expect(cancel.referencePath == "Bundle.entry[5].resource.entity[0].what")
        let revise = try MedComNotification(Fixtures.message("RE_STIN_O"))
        #expect(revise.change == .revision(of: "b9b4818e-02de-4cc4-b418-d20cbc399006"))
    }

    @Test("AN_MORS is an unchanged activity with a removal entity and deceased false")
    func cancelledDeath() throws {
        var data = try Fixtures.editing("MORS_J", ["entry", 1, "resource", "deceasedBoolean"], to: false)
        data = try Fixtures.edit(
            data, [(["entry", 5, "resource", "entity"], [["role": "removal", "what": ["reference": "MessageHeader/earlier"]]])])
        let notification = try MedComNotification(MedComMessage(json: data))
        #expect(notification.code == "AN_MORS")
        #expect(notification.change == .cancellation(of: "earlier"))
    }

    @Test("an unknown activity, a revise- without revision entity and a removal reporting a death are refused, naming the element")
    func refusals() throws {
        let unknown = try MedComMessage(
            json: Fixtures.editing("STIN_G", ["entry", 5, "resource", "activity", "coding", 0, "code"], to: "transfer-inpatient"))
        let error = #expect(throws: MedComParseError.self) { try MedComNotification(unknown) }
        #expect(error?.path == "Bundle.entry[5].resource.activity.coding[0].code")
        let revise = try MedComMessage(
            json: Fixtures.editing("STIN_G", ["entry", 5, "resource", "activity", "coding", 0, "code"], to: "revise-admit-inpatient"))
        #expect((#expect(throws: MedComParseError.self) { try MedComNotification(revise) })?.path == "Bundle.entry[5].resource.entity")
        let deadRemoval = try MedComMessage(
            json: Fixtures.editing(
                "MORS_J", ["entry", 5, "resource", "entity"], to: [["role": "removal", "what": ["reference": "MessageHeader/x"]]]))
        #expect((#expect(throws: MedComParseError.self) { try MedComNotification(deadRemoval) })?.path == "Bundle.entry[5].resource.entity[0].what")
    }

}
