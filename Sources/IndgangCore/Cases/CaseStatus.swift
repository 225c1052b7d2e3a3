public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case open, closed
}

/// Why a case was closed.
public enum CloseOutcome: String, Sendable, Codable, CaseIterable {
    case completed, moved, deceased, declined, other
}
