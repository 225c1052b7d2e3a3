import Foundation
import IndgangCore

/// Warm handoffs: the sender stays responsible until the receiver accepts.
public protocol HandoffRepository: Sendable {
    func request(caseID: UUID, toActor: String, reason: String, dueAt: Date?, access: AccessContext) async throws -> HandoffRecord
    /// Accept, reject or cancel; repeating the action that already decided the handoff answers it unchanged.
    func decide(_ action: HandoffAction, handoffID: UUID, reason: String?, access: AccessContext) async throws -> HandoffRecord
    func list(_ query: HandoffListQuery, access: AccessContext) async throws -> Page<HandoffRecord>
    /// Several lists in one transaction, each case shown audited once.
    func lists(_ queries: [HandoffListQuery], access: AccessContext) async throws -> [Page<HandoffRecord>]
    /// How many handoffs are open to and from the caller's actor, each counted up to `cap + 1` (more than `cap`) —
    /// counts only: no personal data, not audited.
    func openCounts(upTo cap: Int, access: AccessContext) async throws -> OpenHandoffCounts
    /// Marks pending handoffs past their due time as overdue, exactly once each, with timeline entries and
    /// notifications to both parties and the pathway's escalation actor; safe with several replicas sweeping
    /// at once. Returns how many it marked.
    func markOverdue(limit: Int) async throws -> Int
}
