import Foundation
import Hummingbird
import IndgangStore

struct AuditEntryDTO: ResponseEncodable {
    let at: Date
    let key_id: String?
    let actor: String?
    let role: String
    let action: String
    let citizen_id: String?
    let case_id: String?
    let purpose: String
    let request_id: String?
    /// A query's parameters (coordinator queries), never data.
    let details: AnyJSON?

    init(_ entry: AuditEntry) {
        at = entry.at
        key_id = entry.keyID?.wire
        actor = entry.actor
        role = entry.role
        action = entry.action
        citizen_id = entry.citizenID?.wire
        case_id = entry.caseID?.wire
        purpose = entry.purpose
        request_id = entry.requestID
        details = entry.details.map(AnyJSON.init(storedText:))
    }
}
