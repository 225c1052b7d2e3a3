/// What an audit row records a principal doing (`audit_log.action`); one name per kind of access.
public enum AuditAction: String, Sendable, CaseIterable, Codable {
    case caseCreate = "case.create"
    case caseRead = "case.read"
    case caseList = "case.list"
    case caseUpdate = "case.update"
    case caseClose = "case.close"
    case caseTimeline = "case.timeline"
    case caseNote = "case.note"
    /// `POST /v1/cases` refused because the citizen already has an open case on the pathway.
    case caseDuplicateRefused = "case.duplicate_refused"
    /// `GET /v1/cases/{id}/citizen`: the CPR shown on purpose.
    case citizenReveal = "citizen.reveal"
    case citizenSearch = "citizen.search"
    case citizenSearchMiss = "citizen.search.miss"
    case handoffRequest = "handoff.request"
    case handoffAccept = "handoff.accept"
    case handoffReject = "handoff.reject"
    case handoffCancel = "handoff.cancel"
    case handoffList = "handoff.list"
    case notificationList = "notification.list"
    case notificationRead = "notification.read"
    case eventIngest = "event.ingest"
    case eventDryRun = "event.dry_run"
    /// A coordinator's outcome query, with its parameters (never data).
    case outcomesQuery = "outcomes.query"
    /// `POST /v1/audit/search`: an admin looked up a citizen's audit log by CPR.
    case auditSearch = "audit.search"

    public static func handoff(_ action: HandoffAction) -> AuditAction {
        switch action {
        case .accept: return .handoffAccept
        case .reject: return .handoffReject
        case .cancel: return .handoffCancel
        }
    }
}
