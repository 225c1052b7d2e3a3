/// How the effects a history calls for change when the history changes: an event arrives, or one is retracted
/// or corrected. Slots are stable across replays, so the difference is by slot.
public struct PlanRevision: Sendable, Equatable {
    /// Everything the new history calls for, in order.
    public let all: [PlannedEffect]
    /// Slots that are new, or whose value changed (in `all`'s order).
    public let changed: [PlannedEffect]
    /// Slots the old history called for and the new one does not (in the old plan's order).
    public let removed: [PlannedEffect]

    public init(before: [PlannedEffect], after: [PlannedEffect]) {
        let old = Dictionary(before.map { ($0.slot, $0.value) }, uniquingKeysWith: { first, _ in first })
        let kept = Set(after.map(\.slot))
        all = after
        changed = after.filter { old[$0.slot] != $0.value }
        removed = before.filter { !kept.contains($0.slot) }
    }

    /// Slot values as recorded (`slot: value`) carried through this revision: what a store that applies the
    /// revision ends with. From the old plan's values this is `all`'s (the property tests hold it).
    public func carry(_ recorded: [String: String]) -> [String: String] {
        var values = recorded
        for effect in removed { values[effect.slot] = nil }
        for effect in changed { values[effect.slot] = effect.value }
        return values
    }
}
