/// What became of one planned rule effect when an event was ingested; the OpenAPI list is kept equal by a test.
public enum EffectStatus: String, Sendable, CaseIterable, Codable {
    /// Done now.
    case applied
    /// An open case that already existed serves (open case).
    case reused
    /// Not possible or not needed (no case, no receiver, already responsible, …); `reason` says which.
    case skipped
    /// No receiver could be found: escalated instead.
    case escalated
    /// Decided before and still the same (a repeated or late event).
    case unchanged
    /// Reversed because its event was retracted or corrected.
    case undone
    /// An effect of a retracted event that the warm-handoff rules forbid undoing (an accepted handoff).
    case kept
}
