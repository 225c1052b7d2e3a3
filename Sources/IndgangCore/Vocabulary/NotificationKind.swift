/// The kinds of notification an actor receives (inbox, live stream, webhooks); each has one documented payload.
public enum NotificationKind: String, Sendable, CaseIterable, Codable {
    case handoffRequested = "handoff.requested"
    case handoffAccepted = "handoff.accepted"
    case handoffRejected = "handoff.rejected"
    case handoffCancelled = "handoff.cancelled"
    case handoffOverdue = "handoff.overdue"
    case caseEscalated = "case.escalated"
    case caseReadmission = "case.readmission"
    case caseReoffence = "case.reoffence"
    case caseClosed = "case.closed"
    /// Someone tried to open a duplicate case: the holder makes contact (`data.requesting_actor`).
    case caseContactRequested = "case.contact_requested"
    /// An event behind an effect that cannot be undone (an accepted handoff) was retracted.
    case caseEventRetracted = "case.event_retracted"
}
