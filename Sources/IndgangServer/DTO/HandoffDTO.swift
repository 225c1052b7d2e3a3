import Foundation
import Hummingbird
import IndgangStore

struct HandoffDTO: ResponseEncodable {
    let id: String
    let case_id: String
    let from_actor: String
    let to_actor: String
    let status: String
    let reason: String
    let requested_at: Date
    let due_at: Date
    let decided_at: Date?
    let decision_reason: String?

    init(_ handoff: HandoffRecord) {
        id = handoff.id.wire
        case_id = handoff.caseID.wire
        from_actor = handoff.fromActor
        to_actor = handoff.toActor
        status = handoff.status.rawValue
        reason = handoff.reason
        requested_at = handoff.requestedAt
        due_at = handoff.dueAt
        decided_at = handoff.decidedAt
        decision_reason = handoff.decisionReason
    }
}
