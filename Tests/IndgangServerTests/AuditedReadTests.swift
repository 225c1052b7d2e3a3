import Foundation
import HTTPTypes
import Testing

/// Audited reads share their commits (issue 20): each read is answered only after its own audit row is committed,
/// concurrent reads' rows go in together, and a row the database refuses fails its own read — never by showing the
/// data unaudited — and none of its neighbours.
@Suite("Audited reads, committed together")
struct AuditedReadTests {
    @Test("forty concurrent case reads and timelines: every answer has its audit row, with the right case and citizen")
    func concurrentReads() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let cases = try await (0..<4).asyncMap { try await api.openCase(key: keys.hospital, cpr: String(format: "%02d0150-1234", $0 + 1)) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 0..<40 {
                    let path = "/v1/cases/\(cases[number % 4])" + (number % 2 == 0 ? "" : "/timeline")
                    group.addTask { Int(try await api.call(.get, path, key: keys.hospital).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let audited = try await api.sql(
                """
                SELECT l.action, count(*)::text, bool_and(l.citizen_id = c.citizen_id)::text FROM audit_log l JOIN cases c ON c.id = l.case_id
                WHERE l.action IN ('case.read', 'case.timeline') GROUP BY l.action ORDER BY l.action
                """)
            #expect(audited == [["case.read", "20", "true"], ["case.timeline", "20", "true"]])
        }
    }

    @Test("a read whose audit row the database refuses shows nothing; the reads committed beside it are answered")
    func refusedAuditRow() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            // Fault injection: the log refuses rows with this purpose (a trigger on the partitioned table reaches every month).
            _ = try await api.sql(
                """
                CREATE FUNCTION refuse_test_purpose() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.purpose = 'refuse me' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$
                """)
            _ = try await api.sql("CREATE TRIGGER refuse_test_purpose BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_test_purpose()")
            let answers = try await withThrowingTaskGroup(of: (Bool, APIResponse).self) { group in
                for number in 0..<24 {
                    let refused = number % 6 == 0
                    group.addTask {
                        (refused, try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital, headers: [.purpose: refused ? "refuse me" : "care"]))
                    }
                }
                return try await group.reduce(into: [(Bool, APIResponse)]()) { $0.append($1) }
            }
            for (refused, answer) in answers {
                if refused {
                    #expect(answer.status.code >= 500 && answer.json["summary"] == nil && answer.json["responsible_actor"] == nil, "\(answer.status) \(answer.text)")
                } else {
                    #expect(answer.status == .ok, "\(answer.text)")
                }
            }
            #expect(try await api.sql("SELECT count(*)::text FROM audit_log WHERE action = 'case.read'") == [["20"]])
        }
    }
}

extension HTTPField.Name {
    fileprivate static let purpose = HTTPField.Name("X-Purpose")!
}

extension Sequence where Element: Sendable {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
