import Foundation
import IndgangCore

/// Answers "who looked at this citizen" and "what did this actor do" from the append-only audit log.
public protocol AuditRepository: Sendable {
    /// An access that reads no citizen's data (a coordinator's query), with its parameters as a JSON object.
    func record(_ action: AuditAction, details: String, access: AccessContext) async throws
    func entries(_ subject: AuditSubject, cursor: Int64?, limit: Int) async throws -> Page<AuditEntry>
    /// The citizen's audit log found by CPR (the search itself is audited first); nil when no citizen has it.
    func search(cpr: CPR, cursor: Int64?, limit: Int, access: AccessContext) async throws -> (citizenID: UUID, page: Page<AuditEntry>)?
}
