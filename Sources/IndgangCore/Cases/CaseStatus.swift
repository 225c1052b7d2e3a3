public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case open, closed
}

/// Why a case was closed.
public enum CloseOutcome: String, Sendable, Codable, CaseIterable {
    case completed, moved, deceased, declined, other
    /// Set by the system only: the event that opened the case was retracted by its sender.
    case retracted

    /// The outcomes a caseworker (or a pathway rule) may choose; `retracted` records what the sender did.
    public static let chosen: [CloseOutcome] = allCases.filter { $0 != .retracted }
}
