import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

@Suite("Reading MedCom messages")
struct MedComMessageTests {
    @Test("every official example is read, except TEK_FCC which the test protocol makes invalid")
    func everyExample() throws {
        #expect(Fixtures.allFiles.count == 15)
        for name in Fixtures.allFiles where !name.contains("TEK_FCC") {
            #expect(throws: Never.self, "\(name)") { try MedComMessage(json: Fixtures.data(name)) }
        }
    }

    @Test("TEK_FCC lacks MessageHeader.eventCoding: the error names it")
    func invalidExample() throws {
        let error = try #require(throws: MedComParseError.self) { try MedComMessage(json: Fixtures.data("TEK_FCC")) }
        #expect(error.path == "Bundle.entry[0].resource.eventCoding")
        #expect(error.problem == .missing)
        #expect(!error.isNotAFHIRBundle)
        #expect(error.issue.expression == "Bundle.entry[0].resource.eventCoding")
    }

    @Test("a STIN: CPR (failing modulus 11), organisations, the episode, the times and the current Provenance")
    func stin() throws {
        let message = try Fixtures.message("STIN_G")
        #expect(message.bundleID == "67df3ce8-0cdb-4e91-937c-d8a3025867e7")
        #expect(message.header.id == "b9b4818e-02de-4cc4-b418-d20cbc399006")
        #expect(message.header.event == .hospitalNotification)
        #expect(message.header.reportOfAdmission == true)
        #expect(message.patient?.cpr.digits == "2509479989")
        #expect(message.patient?.cpr.birthDate == CalendarDate(year: 1947, month: 9, day: 25))
        #expect(message.patient?.deceased == false)
        #expect(message.sender.sor == "265161000016000")
        #expect(message.sender.gln == "5790000209354")
        #expect(message.receiver.sor == "953741000016009")
        #expect(message.receiver.id == "o4cdf292-abf3-4f5f-80ea-60a48013ff6d")
        #expect(message.serviceProvider?.sor == "265161000016000")
        #expect(message.eventSource == "medcom:265161000016000")
        let encounter = try #require(message.encounter)
        #expect(encounter.classCode == "IMP")
        #expect(encounter.episodeOfCare.first?.value == "04675bbd-c540-4545-924c-1fa79b64535c")
        #expect(encounter.period.start?.date == Fixtures.time("2023-03-01T11:00:00Z"))
        #expect(encounter.period.end == nil)
        #expect(message.currentProvenance.activity == "admit-inpatient")
        #expect(message.currentProvenance.path == "Bundle.entry[5].resource")
    }

    @Test("ids that are not UUIDs (hefc6d95-…, t82fb8a3-…) are accepted as strings")
    func nonUUIDIDs() throws {
        let message = try Fixtures.message("MORS_L")
        #expect(message.header.id == "hefc6d95-6161-4493-99c9-f35948399006")
        #expect(message.patient?.id == "t82fb8a3-6725-41e2-a615-2b1cfcfe9931")
        #expect(message.patient?.deceased == true)
        #expect(message.encounter?.leavePeriod?.start?.text == "2023-03-03T14:00:10+01:00")
        #expect(message.provenances.count == 3)
        #expect(message.currentProvenance.id == "g9942adb-197a-4e30-bec8-566e3a113efe")
    }

    @Test("the official acknowledgements are read: response, OperationOutcome, absolute fullUrls")
    func acknowledgements() throws {
        let ok = try Fixtures.message("Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json")
        #expect(ok.header.event == .acknowledgement)
        #expect(ok.header.response?.code == "ok")
        #expect(ok.patient == nil && ok.operationOutcome == nil)
        let fatal = try Fixtures.message("Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json")
        #expect(fatal.header.response?.code == "fatal-error")
        #expect(fatal.operationOutcome?.issues.first?.details.first?.code == "MSG_VALUESET_VALUE_UNKNOWN")
        #expect(fatal.currentProvenance.activity == "acknowledgement")
    }

    @Test("GLN under urn:oid:1.3.88 is accepted; a further identifier system on an Organization is harmless")
    func glnOID() throws {
        let oid = try Fixtures.editing("STIN_G", ["entry", 3, "resource", "identifier", 0, "system"], to: "urn:oid:1.3.88")
        #expect(try MedComMessage(json: oid).receiver.gln == "5790001348120")
        let extra = try Fixtures.editing(
            "STIN_G", ["entry", 3, "resource", "identifier", 2], to: ["system": "urn:oid:2.16.840.1.113883.2.24.1.1", "value": "12345678"])
        #expect(try MedComMessage(json: extra).receiver.sor == "953741000016009")
    }

    @Test("references by absolute URL and urn:uuid resolve within the Bundle")
    func fullURLReferences() throws {
        var text = String(decoding: try Fixtures.data("STIN_G"), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"fullUrl\": \"Encounter/", with: "\"fullUrl\": \"urn:uuid:")
        text = text.replacingOccurrences(of: "\"reference\": \"Encounter/", with: "\"reference\": \"urn:uuid:")
        text = text.replacingOccurrences(of: "\"fullUrl\": \"Organization/", with: "\"fullUrl\": \"https://example.org/fhir/Organization/")
        let message = try MedComMessage(json: Data(text.utf8))
        #expect(message.encounter?.id == "a790f964-88d3-4652-bbc8-81d2f3d035f8")
        #expect(message.sender.sor == "265161000016000")
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let path: [String]
        let value: String?
        let expected: String
        let problem: MedComParseError.Problem?
        var testDescription: String { expected }
    }

    static let broken: [Broken] = [
        Broken(
            path: ["entry", "2", "resource", "episodeOfCare", "0", "identifier", "value"], value: nil,
            expected: "Bundle.entry[2].resource.episodeOfCare[0].identifier.value", problem: .missing),
        Broken(
            path: ["entry", "2", "resource", "priority"], value: "{}",
            expected: "Bundle.entry[2].resource.priority", problem: .notAllowed("is not allowed by the HospitalNotification Encounter profile (0..0)")
        ),
        Broken(path: ["entry", "1", "resource", "maritalStatus"], value: "\"M\"", expected: "Bundle.entry[1].resource.maritalStatus", problem: nil),
        Broken(
            path: ["entry", "1", "resource", "modifierExtension"], value: "[]", expected: "Bundle.entry[1].resource.modifierExtension", problem: nil),
        Broken(
            path: ["entry", "3", "resource", "resourceType"], value: "\"Practitioner\"",
            expected: "Bundle.entry[3].resource.resourceType", problem: .unknownResourceType("Practitioner")),
        Broken(path: ["entry", "2", "resource", "status"], value: "\"planned\"", expected: "Bundle.entry[2].resource.status", problem: nil),
        Broken(
            path: ["entry", "2", "resource", "period", "start"], value: "\"2023-03-01\"", expected: "Bundle.entry[2].resource.period.start",
            problem: nil),
        Broken(
            path: ["entry", "2", "resource", "period", "start"], value: "12", expected: "Bundle.entry[2].resource.period.start",
            problem: .wrongType(expected: "a string", found: "a number")),
        Broken(
            path: ["entry", "1", "resource", "identifier", "0", "system"], value: "\"urn:oid:1.2.208.176.1.6.1.1\"",
            expected: "Bundle.entry[1].resource.identifier[0].system", problem: nil),
        Broken(
            path: ["entry", "1", "resource", "identifier", "0", "value"], value: "\"3213470000\"",
            expected: "Bundle.entry[1].resource.identifier[0].value", problem: nil),
        Broken(
            path: ["entry", "0", "resource", "sender", "reference"], value: "\"Organization/nowhere\"",
            expected: "Bundle.entry[0].resource.sender.reference", problem: .unresolvedReference("Organization/nowhere")),
        Broken(
            path: ["entry", "2", "resource", "subject", "reference"], value: "\"Organization/o4cdf292-abf3-4f5f-80ea-60a48013ff6d\"",
            expected: "Bundle.entry[2].resource.subject.reference", problem: .invalidValue("refers to a Organization, not a Patient")),
        Broken(
            path: ["entry", "0", "resource", "destination", "0", "extension", "0", "valueCoding", "code"], value: "\"cc\"",
            expected: "Bundle.entry[0].resource.destination[0].extension[0].valueCoding.code", problem: nil),
        Broken(
            path: ["entry", "4", "resource", "identifier", "1", "value"], value: "\"26516x\"",
            expected: "Bundle.entry[4].resource.identifier[1].value", problem: nil),
        Broken(path: ["entry", "4", "resource", "identifier", "1"], value: nil, expected: "Bundle.entry[4].resource.identifier", problem: nil),
        Broken(
            path: ["entry", "5", "resource", "target", "0", "reference"], value: "\"MessageHeader/other\"",
            expected: "Bundle.entry", problem: .missingResource("no Provenance has the MessageHeader as its target")),
        Broken(
            path: ["entry", "5", "resource", "activity", "coding", "0", "system"], value: "\"http://example.org\"",
            expected: "Bundle.entry[5].resource.activity.coding", problem: nil),
        Broken(
            path: ["entry", "5", "resource", "entity"], value: "[{\"role\": \"invented\", \"what\": {\"reference\": \"MessageHeader/x\"}}]",
            expected: "Bundle.entry[5].resource.entity[0].role", problem: .unknownCode("invented", allowed: MedComProvenance.Entity.roles)),
        Broken(path: ["entry", "0", "resource", "id"], value: "\"has space\"", expected: "Bundle.entry[0].resource.id", problem: nil),
        Broken(path: ["type"], value: "\"collection\"", expected: "Bundle.type", problem: .unknownCode("collection", allowed: ["message"])),
        Broken(path: ["timestamp"], value: nil, expected: "Bundle.timestamp", problem: .missing),
        Broken(
            path: ["entry", "0", "resource", "eventCoding", "code"], value: "\"care-communication-message\"",
            expected: "Bundle.entry[0].resource.eventCoding.code", problem: nil),
        Broken(
            path: ["entry", "2", "resource", "episodeOfCare"], value: "[]", expected: "Bundle.entry[2].resource.episodeOfCare",
            problem: .invalidValue("must not be an empty array")),
        Broken(
            path: ["entry", "1", "resource", "deceasedBoolean"], value: "\"yes\"", expected: "Bundle.entry[1].resource.deceasedBoolean",
            problem: .wrongType(expected: "a boolean", found: "a string")),
        Broken(
            path: ["entry", "1", "resource", "name", "0", "family"], value: "null", expected: "Bundle.entry[1].resource.name[0].family",
            problem: .wrongType(expected: "a string", found: "null")),
        Broken(
            path: ["entry", "2", "resource", "_status"], value: "{}", expected: "Bundle.entry[2].resource._status",
            problem: .notAllowed("primitive extensions are not accepted here")),
        Broken(
            path: ["entry", "1", "resource", "id"], value: "\"a790f964-88d3-4652-bbc8-81d2f3d035f8\"", expected: "Bundle.entry[1].fullUrl",
            problem: .invalidValue("does not name this entry's resource (Patient/a790f964-88d3-4652-bbc8-81d2f3d035f8)")),
    ]

    @Test("a broken element is a typed error naming it", arguments: broken)
    func brokenElement(_ case_: Broken) throws {
        let path: [Any] = case_.path.map { Int($0).map { $0 as Any } ?? $0 as Any }
        let value = try case_.value.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let data = try Fixtures.editing("STIN_G", path, to: value)
        let error = try #require(throws: MedComParseError.self) { try MedComMessage(json: data) }
        #expect(error.path == case_.expected)
        if let problem = case_.problem { #expect(error.problem == problem) }
        #expect(error.issue.text.hasPrefix(case_.expected))
        #expect(!error.issue.text.contains("2509479989"))
    }

    @Test("not JSON and not a Bundle are told apart from invalid messages (HTTP problems, not acknowledgements)")
    func notABundle() {
        for body in ["", "{", "[1]", "{\"resourceType\": \"Patient\"}", "\"Bundle\"", "{\"a\": 1, \"a\": 2}"] {
            let error = #expect(throws: MedComParseError.self) { try MedComMessage(json: Data(body.utf8)) }
            #expect(error?.isNotAFHIRBundle == true, "\(body)")
        }
    }

    @Test("a second Patient, an OperationOutcome in a notification and a missing Encounter are refused")
    func resourceCounts() throws {
        let root = try JSONSerialization.jsonObject(with: Fixtures.data("STIN_G")) as! [String: Any]
        var entries = root["entry"] as! [[String: Any]]
        var patient = entries[1]
        patient["fullUrl"] = "Patient/second"
        var resource = patient["resource"] as! [String: Any]
        resource["id"] = "second"
        patient["resource"] = resource
        entries.append(patient)
        var twoPatients = root
        twoPatients["entry"] = entries
        let error = #expect(throws: MedComParseError.self) { try MedComMessage(json: JSONSerialization.data(withJSONObject: twoPatients)) }
        #expect(error?.path == "Bundle.entry[6].resource")
        var noEncounter = root
        noEncounter["entry"] = (root["entry"] as! [[String: Any]]).enumerated().filter { $0.offset != 2 }.map(\.element)
        let missing = #expect(throws: MedComParseError.self) { try MedComMessage(json: JSONSerialization.data(withJSONObject: noEncounter)) }
        #expect(missing?.problem == .missingResource("no Encounter"))
    }
}
