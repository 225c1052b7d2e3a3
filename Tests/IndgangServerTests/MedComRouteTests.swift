import Foundation
import HTTPTypes
import IndgangCore
import Testing

/// `POST /v1/integrations/medcom` over the official examples in `../shared/medcom/` (issue 18), each scenario
/// against a fresh database because the examples reuse MessageHeader ids.
@Suite("MedCom HospitalNotification route")
struct MedComRouteTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/medcom")
        .standardizedFileURL
    static let cpr = "250947-9989"
    static let hospitalSOR = "265161000016000"

    struct Keys {
        let medcom: String
        let hospital: String
        let kommune: String
        let otherHospital: String
    }

    /// The sending hospital (its SOR code), a second hospital, and Hillerød, where the test patient lives.
    static func setUp(_ api: TestAPI) async throws -> Keys {
        let hospital = try await api.call(
            .post, "/v1/actors", key: TestAPI.adminKey,
            json: #"{"slug": "herlev-gentofte", "name": "Herlev og Gentofte Hospital", "kind": "hospital", "sor_code": "\#(hospitalSOR)", "ean": "5790000209354"}"#)
        #expect(hospital.status == .created, "\(hospital.text)")
        #expect(hospital["sor_code"] == hospitalSOR)
        try await api.createActor("hillerod", code: "219")
        let other = try await api.call(
            .post, "/v1/actors", key: TestAPI.adminKey, json: #"{"slug": "nsh", "name": "NSH", "kind": "hospital", "sor_code": "6620100000000"}"#)
        #expect(other.status == .created, "\(other.text)")
        let keys = Keys(
            medcom: try await api.issueKey("herlev-gentofte", role: "integration"), hospital: try await api.issueKey("herlev-gentofte"),
            kommune: try await api.issueKey("hillerod", role: "integration"), otherHospital: try await api.issueKey("nsh", role: "integration"))
        let moved = try await api.postEvent(
            key: keys.kommune, id: "move", type: "citizen.moved", at: "2020-01-01T00:00:00Z", cpr: cpr, attributes: #"{"municipality_code": "219"}"#,
            source: "cpr")
        #expect(moved.status == .created, "\(moved.text)")
        return keys
    }

    static func body(_ name: String, rewriting replacements: [String: String] = [:]) throws -> Data {
        var text = try String(contentsOf: directory.appendingPathComponent("HospitalNotification_Ex_\(name).json"), encoding: .utf8)
        for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
        return Data(text.utf8)
    }

    @discardableResult
    static func send(_ api: TestAPI, _ key: String, _ body: Data, contentType: String = "application/fhir+json") async throws -> APIResponse {
        try await api.call(.post, "/v1/integrations/medcom", key: key, headers: [.contentType: contentType], rawBody: body)
    }

    /// The acknowledgement's `response.code`, and its OperationOutcome's first diagnostics.
    static func acknowledgement(_ response: APIResponse) -> (code: String?, text: String?) {
        let entries = ((response.json["entry"] as? [[String: Any]]) ?? []).compactMap { $0["resource"] as? [String: Any] }
        let header = entries.first { $0["resourceType"] as? String == "MessageHeader" }
        let outcome = entries.first { $0["resourceType"] as? String == "OperationOutcome" }
        let issue = (outcome?["issue"] as? [[String: Any]])?.first
        return ((header?["response"] as? [String: Any])?["code"] as? String, issue?["diagnostics"] as? String)
    }

    static func medcomEvents(_ api: TestAPI) async throws -> [String] {
        try await api.sql("SELECT type FROM events WHERE source LIKE 'medcom:%' ORDER BY occurred_at, external_id").compactMap { $0[0] }
    }

    @Test("A, a leave: admitted, leave started, leave ended, each acknowledged ok")
    func leave() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            for name in ["STIN_G", "STOR_G", "SLOR_G"] {
                let response = try await Self.send(api, keys.medcom, try Self.body(name))
                #expect(response.status == .ok && response.headers[.contentType] == "application/fhir+json", "\(name): \(response.text)")
                #expect(Self.acknowledgement(response).code == "ok", "\(name): \(response.text)")
            }
            #expect(try await Self.medcomEvents(api) == ["hospital.admitted", "hospital.leave_started", "hospital.leave_ended"])
            // The STIN's priority is unknown: no acute admission, no case.
            #expect(try await api.sql("SELECT attributes ->> 'admission' FROM events WHERE type = 'hospital.admitted'") == [["unknown"]])
            #expect(try await api.sql("SELECT count(*)::text FROM cases") == [["0"]])
            // Nothing personal kept with the episode.
            let entries = try await api.sql("SELECT entry::text FROM medcom_episode_entries").compactMap { $0[0] }.joined()
            #expect(entries.count > 0 && !entries.contains("2509479989") && !entries.contains("Elmer"))
            #expect(try await api.sql("SELECT count(*)::text FROM audit_log WHERE action = 'event.ingest'") == [["4"]])
        }
    }

    @Test("B, out of order (STAA, SLHJ, late STIN): discharged with the handoff requested, exactly as in order")
    func outOfOrder() async throws {
        var states: [[String]] = []
        for order in [["TEK_STAA_A", "TEK_STIN_B", "TEK_SLHJ_A"], ["TEK_STAA_A", "TEK_SLHJ_A", "TEK_STIN_B"], ["TEK_SLHJ_A", "TEK_STIN_B", "TEK_STAA_A"]] {
            states.append(
                try await TestAPI.run { api in
                    let keys = try await Self.setUp(api)
                    for name in order {
                        let response = try await Self.send(api, keys.medcom, try Self.body(name))
                        #expect(Self.acknowledgement(response).code == "ok", "\(order) \(name): \(response.text)")
                    }
                    return try await PathwaysEndToEndTests.state(api, citizenOfEvent: "move", timeline: false)
                })
        }
        #expect(states.allSatisfy { $0 == states[0] }, "\(states)")
        #expect(states[0].first?.contains("herlev-gentofte>hillerod") == true, "\(states)")
    }

    @Test("C, admitted then cancelled: a cancellation first is transient-error and stores nothing; in order it retracts")
    func cancellation() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let early = try await Self.send(api, keys.medcom, try Self.body("AN_STIN_N"))
            #expect(Self.acknowledgement(early).code == "transient-error", "\(early.text)")
            #expect(try await Self.medcomEvents(api).isEmpty)
            #expect(try await api.sql("SELECT count(*)::text FROM medcom_acknowledgements") == [["0"]])
            #expect(Self.acknowledgement(try await Self.send(api, keys.medcom, try Self.body("STIN_N"))).code == "ok")
            let resent = try await Self.send(api, keys.medcom, try Self.body("AN_STIN_N"))
            #expect(Self.acknowledgement(resent).code == "ok", "\(resent.text)")
            #expect(try await Self.medcomEvents(api) == ["hospital.admitted", "event.retracted"])
        }
    }

    @Test("D, admitted then corrected: the admission's time becomes the corrected one")
    func correction() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            #expect(Self.acknowledgement(try await Self.send(api, keys.medcom, try Self.body("STIN_O"))).code == "ok")
            let corrected = try await Self.send(api, keys.medcom, try Self.body("RE_STIN_O"))
            #expect(Self.acknowledgement(corrected).code == "ok", "\(corrected.text)")
            let rows = try await api.sql(
                "SELECT attributes ->> 'occurred_at' FROM events WHERE type = 'event.corrected' AND amends_event_id IS NOT NULL")
            #expect(rows == [["2023-03-01T07:00:00.000Z"]])
        }
    }

    @Test("E and F: died during leave, and dead on arrival")
    func deaths() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let sameStay = ["04675bbd-c540-4545-924c-1fa79b64535c": "d340897d-f650-4589-abe7-95ae467623f7"]
            for body in [try Self.body("STIN_G", rewriting: sameStay), try Self.body("STOR_G", rewriting: sameStay), try Self.body("MORS_L")] {
                #expect(Self.acknowledgement(try await Self.send(api, keys.medcom, body)).code == "ok")
            }
            let died = try await Self.medcomEvents(api)
            #expect(died == ["hospital.admitted", "hospital.leave_started", "hospital.discharged", "citizen.died"], "\(died)")
            #expect(try await api.sql("SELECT attributes ->> 'discharged_to' FROM events WHERE type = 'hospital.discharged'") == [["died"]])
        }
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            #expect(Self.acknowledgement(try await Self.send(api, keys.medcom, try Self.body("MORS_J"))).code == "ok")
            #expect(Set(try await Self.medcomEvents(api)) == ["hospital.admitted", "hospital.discharged", "citizen.died"])
        }
    }

    @Test("refusals: the invalid TEK_FCC, another hospital's key, a duplicate, and what stays an HTTP problem")
    func refusals() async throws {
        try await TestAPI.run { api in
            let keys = try await Self.setUp(api)
            let invalid = try await Self.send(api, keys.medcom, try Self.body("TEK_FCC"))
            let (code, text) = Self.acknowledgement(invalid)
            #expect(invalid.status == .ok && code == "fatal-error" && invalid.text.contains("eventCoding"), "\(invalid.text) \(text ?? "")")
            // Another hospital's key cannot speak for Herlev-Gentofte: fatal-error, nothing stored.
            let foreign = try await Self.send(api, keys.otherHospital, try Self.body("STIN_G"))
            #expect(Self.acknowledgement(foreign).code == "fatal-error", "\(foreign.text)")
            #expect(try await Self.medcomEvents(api).isEmpty)
            #expect(try await api.sql("SELECT count(*)::text FROM medcom_episode_entries") == [["0"]])

            let first = try await Self.send(api, keys.medcom, try Self.body("STIN_G"))
            let second = try await Self.send(api, keys.medcom, try Self.body("STIN_G"))
            #expect(Self.acknowledgement(first).code == "ok" && first.body == second.body)
            #expect(try await Self.medcomEvents(api) == ["hospital.admitted"])

            #expect(try await Self.send(api, keys.medcom, Data("not json".utf8)).status == .badRequest)
            #expect(try await Self.send(api, keys.medcom, Data(#"{"resourceType": "Patient"}"#.utf8)).status == .badRequest)
            #expect(try await Self.send(api, keys.medcom, try Self.body("STIN_G"), contentType: "text/plain").status == .unsupportedMediaType)
            #expect(try await Self.send(api, keys.hospital, try Self.body("STIN_G")).status == .forbidden)
            #expect(try await api.call(.post, "/v1/integrations/medcom", key: nil, headers: [.contentType: "application/fhir+json"], rawBody: try Self.body("STIN_G")).status == .unauthorized)
            // No CPR in any answer.
            for response in [invalid, foreign, first] { #expect(!response.text.contains("2509479989")) }
        }
    }

    @Test("a readmission is flagged after a STAA that a STIN follows, not after a STIN of unknown priority")
    func readmissionPriority() async throws {
        for (messages, flagged) in [(["TEK_STAA_A", "TEK_STIN_B"], true), (["STIN_N"], false)] {
            try await TestAPI.run { api in
                let keys = try await Self.setUp(api)
                let discharge = try await api.postEvent(
                    key: keys.medcom, id: "d0", type: "hospital.discharged", at: "2023-02-20T10:00:00+01:00", cpr: Self.cpr,
                    attributes: #"{"episode_id": "earlier", "discharged_to": "home", "actor": "herlev-gentofte"}"#)
                #expect(discharge.status == .created, "\(discharge.text)")
                for name in messages { #expect(Self.acknowledgement(try await Self.send(api, keys.medcom, try Self.body(name))).code == "ok") }
                let flags = try await api.sql("SELECT array_to_string(flags, ',') FROM cases").compactMap { $0[0] }
                #expect(flags == (flagged ? ["readmission"] : []), "\(messages): \(flags)")
                let readmitted = try await api.sql("SELECT (outcome_at IS NOT NULL)::text FROM outcome_episodes WHERE measure = 'readmission'")
                #expect(readmitted == [[flagged ? "true" : "false"]], "\(messages)")
            }
        }
    }
}
