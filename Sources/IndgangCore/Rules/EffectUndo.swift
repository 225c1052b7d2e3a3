/// What becomes of an applied effect whose triggering event was retracted, or corrected so that the rule no
/// longer calls for it (API.md, Event authority): undone where the warm-handoff rules allow, otherwise kept and
/// told to the responsible actor.
public enum EffectUndo: Sendable, Equatable {
    /// Never applied (skipped, reused, already applied by another event), or nothing to take back (an
    /// escalation's notices were read).
    case nothing
    /// The handoff it requested is still open: cancelled.
    case cancelHandoff
    /// The handoff it requested was accepted: it stands, the responsible actor is told.
    case keepAcceptedHandoff
    /// The flag it set goes, unless another event still calls for it on the same case.
    case removeFlag
    /// The case it opened, opened by nothing else, closes with outcome `retracted`.
    case closeCase
    /// The case it opened stays: a receiver accepted it, so it is theirs now; the responsible actor is told.
    case keepCase
    /// The case it closed stays closed; a new open case on the pathway, with the same responsible actor,
    /// continues it.
    case continueClosedCase

    /// What the store knows about the applied effect and its case.
    public struct Recorded: Sendable, Equatable {
        /// The effect changed something (status `applied` or `escalated`).
        public var applied: Bool
        /// The handoff it requested, as it stands now.
        public var handoff: HandoffStatus?
        /// The case it touched is open now.
        public var caseIsOpen: Bool
        /// A handoff on that case was accepted at some point.
        public var caseHadAcceptedHandoff: Bool
        /// Another effect that stays still calls for the same thing on the same case (opens it, sets the flag).
        public var stillCalledFor: Bool
        /// The pathway has another open case now (a case cannot be continued beside it).
        public var pathwayHasOpenCase: Bool

        public init(
            applied: Bool, handoff: HandoffStatus? = nil, caseIsOpen: Bool = false, caseHadAcceptedHandoff: Bool = false, stillCalledFor: Bool = false,
            pathwayHasOpenCase: Bool = false
        ) {
            self.applied = applied
            self.handoff = handoff
            self.caseIsOpen = caseIsOpen
            self.caseHadAcceptedHandoff = caseHadAcceptedHandoff
            self.stillCalledFor = stillCalledFor
            self.pathwayHasOpenCase = pathwayHasOpenCase
        }
    }

    public static func decide(_ action: PlannedAction, _ recorded: Recorded) -> EffectUndo {
        guard recorded.applied else { return .nothing }
        switch action {
        case .requestHandoff:
            switch recorded.handoff {
            case .pending?, .overdue?: return .cancelHandoff
            case .accepted?: return .keepAcceptedHandoff
            case .rejected?, .cancelled?, nil: return .nothing
            }
        case .flag:
            return recorded.stillCalledFor ? .nothing : .removeFlag
        case .openCase:
            guard recorded.caseIsOpen, !recorded.stillCalledFor else { return .nothing }
            return recorded.caseHadAcceptedHandoff ? .keepCase : .closeCase
        case .closeCase:
            return recorded.caseIsOpen || recorded.pathwayHasOpenCase ? .nothing : .continueClosedCase
        case .escalate:
            return .nothing
        }
    }
}
