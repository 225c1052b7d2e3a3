/// What a pathway rule may flag a case with (a rule file's `flag:`), and how the flag is announced.
public enum CaseFlag: String, Sendable, CaseIterable, Codable {
    case readmission
    case reoffence

    /// The timeline entry the flag writes.
    public var timelineKind: TimelineKind {
        switch self {
        case .readmission: .readmissionFlagged
        case .reoffence: .reoffenceFlagged
        }
    }

    /// The notification the responsible actor gets.
    public var notificationKind: NotificationKind {
        switch self {
        case .readmission: .caseReadmission
        case .reoffence: .caseReoffence
        }
    }
}
