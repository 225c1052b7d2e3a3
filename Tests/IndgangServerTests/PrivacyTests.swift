import Foundation
import HTTPTypes
import Testing

@Suite("Privacy by design")
struct PrivacyTests {
    static let cpr = "241282-4321"
    static let cprDigits = "2412824321"

    @Test("the CPR number appears in no log line, no response and no metric; only the search body carries it")
    func cprNeverLeaks() async throws {
        let capture = LogCapture()
        try await TestAPI.run(logger: capture.logger(level: .trace)) { api in
            let keys = try await api.standardActors()
            var responses: [APIResponse] = []
            let opened = try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "\#(Self.cpr)", "pathway": "subacute-elderly"}"#)
            responses.append(opened)
            let caseID = try #require(opened["id"])
            responses.append(try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "\#(Self.cprDigits)", "pathway": "subacute-elderly"}"#))
            responses.append(try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "\#(Self.cpr)", "pathway": 7}"#))
            responses.append(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital))
            responses.append(try await api.call(.get, "/v1/cases", key: keys.hospital))
            responses.append(try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.hospital))
            let handoff = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            responses.append(try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.kommune))
            let search = try await api.call(.post, "/v1/citizens/search", key: keys.kommune, json: #"{"cpr": "\#(Self.cpr)"}"#)
            #expect(search.status == .ok)
            #expect((search.json["cases"] as? [Any])?.count == 1)
            responses.append(search)
            responses.append(try await api.call(.get, "/metrics"))
            let citizenID = try #require(opened["citizen_id"])
            responses.append(try await api.call(.get, "/v1/audit?citizen_id=\(citizenID)", key: TestAPI.adminKey))

            for response in responses {
                #expect(!response.text.contains(Self.cprDigits) && !response.text.contains(Self.cpr), "\(response.text.prefix(200))")
            }
            let lines = capture.all
            #expect(lines.count > 10)
            for line in lines {
                #expect(!line.contains(Self.cprDigits) && !line.contains(Self.cpr) && !line.contains("241282"), "\(line)")
            }
            // At rest: sealed and blind-indexed, not in clear anywhere in the citizens table.
            let stored = try await api.sql("SELECT encode(cpr_sealed, 'escape') || encode(cpr_index, 'hex') || birth_date::text FROM citizens")
            #expect(stored.count == 1)
            #expect(!(stored[0][0] ?? "").contains(Self.cprDigits))
        }
    }

    @Test("every read and write of personal data is audited, and an admin can ask who looked at a citizen")
    func auditTrail() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let opened = try await api.call(.post, "/v1/cases", key: keys.hospital, json: #"{"cpr": "\#(Self.cpr)", "pathway": "subacute-elderly"}"#)
            let caseID = try #require(opened["id"])
            let citizenID = try #require(opened["citizen_id"])
            _ = try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital, headers: [.xPurposeTest: "visitation meeting"])
            _ = try await api.call(.get, "/v1/cases", key: keys.hospital)
            _ = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.hospital)
            let handoff = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            _ = try await api.call(.post, "/v1/handoffs/\(handoff)/accept", key: keys.kommune)
            _ = try await api.call(.post, "/v1/citizens/search", key: keys.kommune, json: #"{"cpr": "\#(Self.cpr)"}"#)
            _ = try await api.call(.post, "/v1/citizens/search", key: keys.prison, json: #"{"cpr": "\#(Self.cpr)"}"#)

            let audit = try await api.call(.get, "/v1/audit?citizen_id=\(citizenID)", key: TestAPI.adminKey)
            #expect(audit.status == .ok)
            let actions = audit.items.compactMap { $0["action"] as? String }
            #expect(
                actions.reversed() == [
                    "case.create", "case.read", "case.list", "case.timeline", "handoff.request", "handoff.accept", "citizen.search",
                    "citizen.search.miss",
                ])
            let read = try #require(audit.items.first { $0["action"] as? String == "case.read" })
            #expect(read["purpose"] as? String == "visitation meeting")
            #expect(read["actor"] as? String == "nsh")
            #expect(read["role"] as? String == "caseworker")
            #expect(read["key_id"] as? String != nil)
            #expect(audit.items.first { $0["action"] as? String == "case.list" }?["purpose"] as? String == "casework")
            // A failed request writes no audit row (nothing was read).
            let before = try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log")
            _ = try await api.call(.get, "/v1/cases/\(caseID)", key: keys.prison)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM audit_log") == before)
            #expect(try await api.call(.get, "/v1/audit", key: TestAPI.adminKey).fieldErrors == ["citizen_id"])
        }
    }
}

extension HTTPField.Name {
    static let xPurposeTest = HTTPField.Name("X-Purpose")!
}
