import Foundation
import IndgangCore

/// Answers "who looked at this citizen" from the append-only audit log.
public protocol AuditRepository: Sendable {
    func entries(citizenID: UUID, cursor: Int64?, limit: Int) async throws -> Page<AuditEntry>
}
