import Foundation
import IndgangCore

/// One row of the audit log, as the change-set writer and the read committer write it: who (key, actor, role), what
/// (action), about whom (citizen, case), why (purpose), and the request it belongs to.
struct AuditRow: Sendable {
    let key: UUID?
    let actor: UUID?
    let role: String
    let action: AuditAction
    /// Nil with a case: the case's citizen (the read committer looks it up in the same statement).
    let citizen: UUID?
    let caseID: UUID?
    let purpose: String
    let requestID: String?
    let details: String?

    init(_ action: AuditAction, citizenID: UUID?, caseID: UUID?, details: String? = nil, access: AccessContext) {
        let principal = access.principal
        (key, actor, role) = (principal.keyID, principal.actorID, principal.role.rawValue)
        (self.action, citizen, self.caseID, purpose, requestID, self.details) = (action, citizenID, caseID, access.purpose, access.requestID, details)
    }
}
