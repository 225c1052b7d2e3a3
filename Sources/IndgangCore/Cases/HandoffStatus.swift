public enum HandoffStatus: String, Sendable, Codable, CaseIterable {
    /// Requested, waiting for the receiver; the sender is still responsible.
    case pending
    /// Pending past its `due_at`; escalated, and still actionable.
    case overdue
    case accepted, rejected, cancelled

    /// Pending or overdue: the receiver can still act, and no second handoff may be requested.
    public var isOpen: Bool { self == .pending || self == .overdue }
}

/// What an actor can do to an open handoff, and the status each action leads to.
public enum HandoffAction: String, Sendable, CaseIterable {
    case accept, reject, cancel

    public var resultingStatus: HandoffStatus {
        switch self {
        case .accept: return .accepted
        case .reject: return .rejected
        case .cancel: return .cancelled
        }
    }

    /// The timeline entry and the notification the action writes.
    public var timelineKind: TimelineKind {
        switch self {
        case .accept: .handoffAccepted
        case .reject: .handoffRejected
        case .cancel: .handoffCancelled
        }
    }

    public var notificationKind: NotificationKind {
        switch self {
        case .accept: .handoffAccepted
        case .reject: .handoffRejected
        case .cancel: .handoffCancelled
        }
    }
}
