import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

@Suite("Acknowledgements")
struct MedComAcknowledgementTests {
    static let at = Fixtures.time("2023-05-01T08:00:00Z")
    static let officialOK = "Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json"
    static let officialFatal = "Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json"

    /// Per entry: the resource type and the set of element paths (arrays as `[]`, narrative left out).
    static func shape(_ data: Data) throws -> [(type: String, paths: Set<String>)] {
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(root["entry"] as? [[String: Any]])
        return entries.map { entry in
            let resource = entry["resource"] as? [String: Any] ?? [:]
            var paths: Set<String> = []
            func walk(_ node: Any, _ path: String) {
                if let object = node as? [String: Any] {
                    for (key, value) in object where key != "text" { walk(value, path.isEmpty ? key : "\(path).\(key)") }
                } else if let array = node as? [Any] {
                    for value in array { walk(value, path + "[]") }
                } else {
                    paths.insert(path)
                }
            }
            walk(resource, "")
            return (resource["resourceType"] as? String ?? "", paths)
        }
    }

    static func topLevelKeys(_ data: Data) throws -> Set<String> {
        Set((try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).keys).subtracting(["text"])
    }

    @Test("ok: the shape of the official positive acknowledgement, addressed back to the sender")
    func ok() throws {
        let original = try Fixtures.message("STIN_G")
        let data = MedComAcknowledgement.make(for: original, code: .ok, issues: [], timestamp: Self.at)
        let official = try Fixtures.data(Self.officialOK)
        let ours = try Self.shape(data)
        let theirs = try Self.shape(official)
        #expect(ours.map(\.type) == theirs.map(\.type))
        for (mine, reference) in zip(ours, theirs) { #expect(mine.paths == reference.paths, "\(mine.type)") }
        #expect(try Self.topLevelKeys(data) == Self.topLevelKeys(official))

        let answer = try MedComMessage(json: data)
        #expect(answer.header.event == .acknowledgement)
        #expect(answer.header.response == .init(identifier: original.header.id, code: "ok", details: nil))
        #expect(answer.sender.sor == original.receiver.sor && answer.receiver.sor == original.sender.sor)
        #expect(answer.header.destinationEndpoint == original.header.sourceEndpoint)
        #expect(answer.header.sourceEndpoint == original.header.destinationEndpoint)
        #expect(answer.timestamp.date == Self.at)
        #expect(answer.provenances.count == 2)
        #expect(answer.provenances[0].id == original.currentProvenance.id && answer.provenances[0].activity == "admit-inpatient")
        #expect(answer.provenances[0].occurred.text == original.currentProvenance.occurred.text)
        #expect(answer.currentProvenance.activity == "acknowledgement")
        #expect(
            answer.currentProvenance.entities == [
                .init(
                    role: "revision",
                    what: FHIRReference(
                        reference: "MessageHeader/\(original.header.id)", identifier: nil,
                        path: answer.currentProvenance.path + ".entity[0].what"))
            ])
        #expect(answer.operationOutcome == nil)
        #expect(MedComAcknowledgement.contentType == "application/fhir+json")
    }

    @Test("fatal-error: the shape of the official negative acknowledgement, the OperationOutcome naming the element")
    func fatal() throws {
        let original = try Fixtures.message("STOR_G")
        let issue = MedComIssue(
            code: "required", detail: .fhir("MSG_BAD_FORMAT"),
            text: "Bundle.entry[2].resource.extension: a start of leave needs the leave-period extension",
            expression: "Bundle.entry[2].resource.extension")
        let data = MedComAcknowledgement.make(for: original, code: .fatalError, issues: [issue], timestamp: Self.at)
        let ours = try Self.shape(data)
        let theirs = try Self.shape(Fixtures.data(Self.officialFatal))
        #expect(ours.map(\.type) == theirs.map(\.type))
        for (mine, reference) in zip(ours, theirs) {
            // The copied Provenance is the original's, which names an earlier message; ours adds a text and the FHIRPath.
            let extras = mine.paths.subtracting(reference.paths)
            #expect(reference.paths.isSubset(of: mine.paths), "\(mine.type)")
            #expect(
                extras.isSubset(of: ["issue[].details.text", "issue[].expression[]", "entity[].role", "entity[].what.reference"]),
                "\(mine.type): \(extras)")
        }
        let answer = try MedComMessage(json: data)
        #expect(answer.header.response?.code == "fatal-error")
        #expect(answer.header.response?.details?.reference == "OperationOutcome/\(answer.operationOutcome?.id ?? "")")
        let reported = try #require(answer.operationOutcome?.issues.first)
        #expect(reported.severity == "error" && reported.code == "required")
        #expect(reported.text == issue.text)
        #expect(reported.details == [FHIRCoding(system: MedCom.System.operationOutcomeCodes, code: "MSG_BAD_FORMAT")])
    }

    @Test("deterministic: the same message, code, issues and time give the same bytes; ids derive from the MessageHeader.id")
    func deterministic() throws {
        let first = MedComAcknowledgement.make(for: try Fixtures.message("STIN_G"), code: .ok, issues: [], timestamp: Self.at)
        let again = MedComAcknowledgement.make(for: try Fixtures.message("STIN_G"), code: .ok, issues: [], timestamp: Self.at)
        #expect(first == again)
        // STIN_N shares STIN_G's MessageHeader.id (the examples reuse it): the same letter, the same acknowledgement ids.
        let shared = try MedComMessage(
            json: MedComAcknowledgement.make(for: try Fixtures.message("STIN_N"), code: .ok, issues: [], timestamp: Self.at))
        #expect(shared.header.id == (try MedComMessage(json: first)).header.id)
        let transient = try MedComMessage(
            json: MedComAcknowledgement.make(for: try Fixtures.message("STIN_G"), code: .transientError, issues: [], timestamp: Self.at))
        #expect(transient.header.id != shared.header.id)
        #expect(transient.operationOutcome?.issues.first?.code == "transient")
    }

    @Test("a broken Bundle: response.identifier is the MessageHeader.id if readable, else the Bundle.id, else a digest of the body")
    func broken() throws {
        let issue = MedComIssue(code: "structure", text: "broken", expression: "Bundle")
        let headerOnly = MedComAcknowledgement.make(forUnreadable: try Fixtures.data("TEK_FCC"), issues: [issue], timestamp: Self.at)
        let salvaged = try MedComMessage(json: headerOnly)
        #expect(salvaged.header.response?.identifier == "c4888e5e-ec5c-4b16-a875-7b287e63e214")
        #expect(salvaged.receiver.sor == "265161000016000" && salvaged.provenances.count == 2)

        let noHeader = try Fixtures.editing("STIN_G", ["entry", 0, "resource", "resourceType"], to: "Basic")
        let bundleOnly = MedComAcknowledgement.make(forUnreadable: noHeader, issues: [issue], timestamp: Self.at)
        #expect(try response(bundleOnly)["identifier"] as? String == "67df3ce8-0cdb-4e91-937c-d8a3025867e7")

        let garbage = Data("not json at all".utf8)
        let one = try response(MedComAcknowledgement.make(forUnreadable: garbage, issues: [issue], timestamp: Self.at))
        let two = try response(MedComAcknowledgement.make(forUnreadable: garbage, issues: [issue], timestamp: Self.at))
        let identifier = try #require(one["identifier"] as? String)
        #expect(identifier == two["identifier"] as? String)
        #expect(FHIRObject.isValidID(identifier) && one["code"] as? String == "fatal-error")
    }

    @Test("the name digests and derived UUIDs match SHA-256 and RFC 9562")
    func digest() {
        #expect(NameDigest.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(NameDigest.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(NameDigest.hex(String(repeating: "a", count: 1000).utf8) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        let id = NameDigest.uuid("x")
        #expect(UUID(uuidString: id) != nil && Array(id)[14] == "8")
    }

    private func response(_ data: Data) throws -> [String: Any] {
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(root["entry"] as? [[String: Any]])
        let header = try #require(entries.first?["resource"] as? [String: Any])
        return try #require(header["response"] as? [String: Any])
    }
}
