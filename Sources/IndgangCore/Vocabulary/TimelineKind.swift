/// The kinds of entry on a case's timeline (`GET /v1/cases/{id}/timeline`); the OpenAPI list is kept equal by a test.
public enum TimelineKind: String, Sendable, CaseIterable, Codable {
    case opened
    case handoffRequested = "handoff_requested"
    case handoffAccepted = "handoff_accepted"
    case handoffRejected = "handoff_rejected"
    case handoffCancelled = "handoff_cancelled"
    case handoffOverdue = "handoff_overdue"
    case escalated
    case eventReceived = "event_received"
    /// An effect of a retracted or corrected event was undone or, when the warm-handoff rules forbid it, kept.
    case eventRetracted = "event_retracted"
    case readmissionFlagged = "readmission_flagged"
    case reoffenceFlagged = "reoffence_flagged"
    case note
    case closed
}
