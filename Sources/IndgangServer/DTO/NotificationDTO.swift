import Foundation
import Hummingbird
import IndgangStore

struct NotificationDTO: ResponseEncodable {
    let id: String
    let kind: String
    let case_id: String?
    let handoff_id: String?
    let created_at: Date
    let read_at: Date?
    let data: AnyJSON

    init(_ record: NotificationRecord) {
        id = record.id.wire
        kind = record.kind
        case_id = record.caseID?.wire
        handoff_id = record.handoffID?.wire
        created_at = record.createdAt
        read_at = record.readAt
        data = AnyJSON(storedText: record.data)
    }
}
