import Foundation
import HTTPTypes
import Testing

@Suite("Notifications inbox")
struct NotificationsTests {
    @Test("state changes land in the right actor's inbox, with ids and kinds only; read and unread work")
    func inbox() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            let caseID = try await api.openCase(key: keys.hospital)
            let handoffID = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            #expect(try await api.call(.post, "/v1/handoffs/\(handoffID)/accept", key: keys.kommune).status == .ok)

            let kommune = try await api.call(.get, "/v1/notifications", key: keys.kommune)
            #expect(kommune.status == .ok)
            #expect(kommune.items.compactMap { $0["kind"] as? String } == ["handoff.requested"])
            let item = try #require(kommune.items.first)
            #expect(item["case_id"] as? String == caseID)
            #expect(item["handoff_id"] as? String == handoffID)
            #expect(item["read_at"] == nil)
            #expect(!kommune.text.contains("010150"))
            let hospital = try await api.call(.get, "/v1/notifications", key: keys.hospital)
            #expect(hospital.items.compactMap { $0["kind"] as? String } == ["handoff.accepted"])
            #expect(try await api.call(.get, "/v1/notifications", key: keys.prison).items.isEmpty)

            let id = try #require(item["id"] as? String)
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.prison).status == .notFound)
            let read = try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.kommune)
            #expect(read.status == .ok)
            let readAt = try #require(read["read_at"])
            #expect(try await api.call(.post, "/v1/notifications/\(id)/read", key: keys.kommune)["read_at"] == readAt)
            #expect(try await api.call(.get, "/v1/notifications?unread=true", key: keys.kommune).items.isEmpty)
            #expect(try await api.call(.get, "/v1/notifications?unread=false", key: keys.kommune).items.count == 1)
            #expect(try await api.call(.get, "/v1/notifications?unread=yes", key: keys.kommune).fieldErrors == ["unread"])
            #expect(try await api.call(.post, "/v1/notifications/01936f3e-0000-7000-8000-000000000000/read", key: keys.kommune).status == .notFound)
        }
    }

    @Test("the inbox is cursor-paged, newest first")
    func paging() async throws {
        try await TestAPI.run { api in
            let keys = try await api.standardActors()
            for index in 1...5 {
                let caseID = try await api.openCase(key: keys.hospital, cpr: "01015\(index)-1234")
                _ = try await api.requestHandoff(caseID: caseID, key: keys.hospital, to: "kobenhavn")
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/v1/notifications?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), key: keys.kommune)
                seen += page.items.compactMap { $0["case_id"] as? String }
                cursor = page["next_cursor"]
            } while cursor != nil
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            let positions = try await api.sql("SELECT case_id::text FROM notifications ORDER BY position DESC").compactMap { $0[0] }
            #expect(seen == positions)
        }
    }
}
