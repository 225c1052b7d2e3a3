import Foundation
import HTTPTypes
import Testing

@Suite("Warm handoffs")
struct HandoffsTests {
    @Test("request, accept: responsibility moves only on accept, in the same transaction")
    func acceptFlow() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let due = "2099-01-01T12:00:00+01:00"
            let requested = try await api.call(
                .post, "/v1/cases/\(caseID)/handoffs", key: keys.hospital, json: #"{"to_actor": "kobenhavn", "reason": "discharge home", "due_at": "\#(due)"}"#)
            #expect(requested.status == .created)
            #expect(requested["status"] == "pending")
            #expect(requested["from_actor"] == "nsh")
            #expect(requested["to_actor"] == "kobenhavn")
            #expect(requested["due_at"] == "2099-01-01T11:00:00.000Z")
            let handoffID = try #require(requested["id"])

            // Until accepted, the sender stays responsible; the receiver can already see the case.
            #expect(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.kommune)["responsible_actor"] == "nsh")
            #expect(try await api.call(.get, "/v1/handoffs?direction=incoming&status=pending", key: keys.kommune).items.count == 1)
            #expect(try await api.call(.get, "/v1/handoffs?direction=outgoing", key: keys.hospital).items.count == 1)
            #expect(try await api.call(.get, "/v1/handoffs?direction=incoming", key: keys.hospital).items.isEmpty)

            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.hospital).status == .forbidden)
            let accepted = try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.kommune)
            #expect(accepted.status == .ok)
            #expect(accepted["status"] == "accepted")
            #expect(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.kommune)["responsible_actor"] == "kobenhavn")
            // Idempotent repeat of the same action; a different action is a conflict.
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.kommune).status == .ok)
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/reject", key: keys.kommune, json: #"{"reason": "x"}"#).status == .conflict)
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/cancel", key: keys.hospital).status == .conflict)
            // The former responsible actor still sees the case, but may no longer act as responsible.
            #expect(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.hospital).status == .ok)
            #expect(
                try await api.call(.post, "/v1/cases/\(caseID)/handoffs", key: keys.hospital, json: #"{"to_actor": "kriminalforsorgen", "reason": "r"}"#)
                    .status == .forbidden)
            let timeline = try await api.call(.get, "/v1/cases/\(caseID)/timeline", key: keys.kommune)
            #expect(timeline.items.compactMap { $0["kind"] as? String } == ["opened", "handoff_requested", "handoff_accepted"])
            #expect(timeline.items.last?["actor"] as? String == "kobenhavn")
        }
    }

    @Test("one pending handoff at a time, not to itself, to a known actor, due in the future")
    func requestRules() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let path = "/v1/cases/\(caseID)/handoffs"
            #expect(try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "nsh", "reason": "r"}"#).status == .unprocessableContent)
            #expect(try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "nobody", "reason": "r"}"#).fieldErrors == ["to_actor"])
            #expect(try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "kobenhavn"}"#).fieldErrors == ["reason"])
            #expect(
                try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r", "due_at": "2001-01-01T00:00:00Z"}"#)
                    .fieldErrors == ["due_at"])
            #expect(
                try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r", "due_at": "tomorrow"}"#)
                    .fieldErrors == ["due_at"])
            let first = try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "kobenhavn", "reason": "r"}"#)
            #expect(first.status == .created)
            // Default due: 24 hours.
            let requested = try #require(first["requested_at"].flatMap { ISO8601DateFormatter.withFraction.date(from: $0) })
            let due = try #require(first["due_at"].flatMap { ISO8601DateFormatter.withFraction.date(from: $0) })
            #expect(abs(due.timeIntervalSince(requested) - 86_400) < 5)
            let second = try await api.call(.post, path, key: keys.hospital, json: #"{"to_actor": "kriminalforsorgen", "reason": "r"}"#)
            #expect(second.status == .conflict)
            #expect(try await TestSQL.scalar(api, "SELECT count(*)::text FROM handoffs") == "1")
        }
    }

    @Test("reject keeps the sender responsible and hides the case from a receiver that was never responsible")
    func rejectFlow() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.prison, cpr: "010199-1234", pathway: "reentry-youth")
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.prison, to: "kobenhavn")
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/reject", key: keys.kommune, json: "{}").fieldErrors == ["reason"])
            let rejected = try await api.call(.post, "/v1/handoffs/\(handoffID)/reject", key: keys.kommune, json: #"{"reason": "not our citizen"}"#)
            #expect(rejected.status == .ok)
            #expect(rejected["decision_reason"] == "not our citizen")
            #expect(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.prison)["responsible_actor"] == "kriminalforsorgen")
            #expect(try await api.call(.get, "/v1/cases/\(caseID)", key: keys.kommune).status == .notFound)
            // Repeating the reject is still answered (the parties know the handoff), nothing changes.
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/reject", key: keys.kommune, json: #"{"reason": "again"}"#).status == .ok)
            // A new handoff may follow; cancel it.
            let next = try await api.requestHandoff(caseID: caseID, key: keys.prison, to: "nsh")
            #expect(try await api.call(.post, "/v1/handoffs/\(next)/cancel", key: keys.hospital).status == .forbidden)
            let cancelled = try await api.call(.post, "/v1/handoffs/\(next)/cancel", key: keys.prison, json: #"{"reason": "wrong unit"}"#)
            #expect(cancelled["status"] == "cancelled")
        }
    }

    @Test("BOLA: another actor's caseworker gets 404 for every case and handoff route")
    func otherActorsSeeNothing() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            let outsider = keys.prison
            let probes: [(HTTPRequest.Method, String, String?, HTTPFields)] = [
                (.get, "/v1/cases/\(caseID)", nil, [:]),
                (.get, "/v1/cases/\(caseID)/timeline", nil, [:]),
                (.patch, "/v1/cases/\(caseID)", #"{"summary": "x"}"#, [.ifMatch: "\"2\""]),
                (.post, "/v1/cases/\(caseID)/close", #"{"outcome": "completed"}"#, [:]),
                (.post, "/v1/cases/\(caseID)/handoffs", #"{"to_actor": "kriminalforsorgen", "reason": "r"}"#, [:]),
                (.post, "/v1/handoffs/\(handoffID)/accept", nil, [:]),
                (.post, "/v1/handoffs/\(handoffID)/reject", #"{"reason": "r"}"#, [:]),
                (.post, "/v1/handoffs/\(handoffID)/cancel", nil, [:]),
            ]
            for (method, path, body, headers) in probes {
                let response = try await api.call(method, path, key: outsider, json: body, headers: headers)
                #expect(response.status == .notFound, "\(method) \(path): \(response.status.code)")
                let unknown = try await api.call(method, path.replacingOccurrences(of: caseID, with: "01936f3e-0000-7000-8000-000000000000")
                    .replacingOccurrences(of: handoffID, with: "01936f3e-0000-7000-8000-000000000001"), key: outsider, json: body, headers: headers)
                #expect(unknown.status == .notFound)
                #expect(unknown.json["detail"] as? String == response.json["detail"] as? String, "404s must not differ for \(path)")
            }
            #expect(try await api.call(.get, "/v1/cases", key: outsider).items.isEmpty)
            #expect(try await api.call(.get, "/v1/handoffs", key: outsider).items.isEmpty)
            #expect(try await api.call(.post, "/v1/citizens/search", key: outsider, json: #"{"cpr": "010150-1234"}"#).status == .notFound)
            #expect(try await api.call(.get, "/v1/cases/not-a-uuid", key: outsider).status == .notFound)
            // Nothing changed.
            #expect(try await TestSQL.scalar(api, "SELECT status FROM handoffs") == "pending")
            #expect(try await TestSQL.scalar(api, "SELECT version::text FROM cases") == "2")
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFraction: ISO8601DateFormatter = {  // only read after creation
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
