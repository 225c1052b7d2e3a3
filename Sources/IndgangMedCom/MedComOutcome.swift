import IndgangCore

/// What the server does with a message: post events and keep the entry, acknowledge and keep nothing, or
/// answer with an error acknowledgement.
public enum MedComOutcome: Sendable, Equatable {
    /// `ok`: post `events` (all or none, in order), then append `entry` to the episode's history.
    case accepted(MedComAcceptance)
    /// Nothing to store. `.duplicate` and `.minimised` are acknowledged `ok`; `.acknowledgement` is not
    /// acknowledged at all (an acknowledgement is never acknowledged, MedCom KR2).
    case ignored(MedComIgnoreReason)
    /// `transient-error`: a correction or cancellation of a message not received yet; the sender resends.
    case notReceivedYet(MedComIssue)
    /// `fatal-error`: the message is invalid; nothing is stored.
    case rejected(MedComIssue)

    /// The acknowledgement's `response.code`, or nil when no acknowledgement is due.
    public var acknowledgementCode: MedComAcknowledgement.Code? {
        switch self {
        case .accepted, .ignored(.duplicate), .ignored(.minimised): return .ok
        case .ignored(.acknowledgement): return nil
        case .notReceivedYet: return .transientError
        case .rejected: return .fatalError
        }
    }

    /// The issues the acknowledgement's OperationOutcome reports.
    public var issues: [MedComIssue] {
        switch self {
        case .notReceivedYet(let issue), .rejected(let issue): return [issue]
        case .accepted, .ignored: return []
        }
    }
}
