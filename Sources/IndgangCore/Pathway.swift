/// The built-in pathways. For now a fixed list; the declarative rules engine (Schema/pathways) replaces it.
public enum Pathway: String, Sendable, CaseIterable, Codable {
    /// Nordsjællands Hospital model: frail elderly, readmissions avoided by sub-acute care at home.
    case subacuteElderly = "subacute-elderly"
    /// Kriminalforsorgen + Esbjerg model: young people leaving prison.
    case reentryYouth = "reentry-youth"
    /// FriNoVa model: psychologically vulnerable young people, one entry at the municipality.
    case mentalHealthYouth = "mental-health-youth"

    /// How long a receiver has to accept a handoff when the sender gives no `due_at`.
    public var defaultHandoffDue: Duration { .seconds(24 * 3600) }
}
