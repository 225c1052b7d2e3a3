/// A parameter of a base pathway that a local variant may override, if the base declares it overridable
/// (API.md, "Pathway variants, goals and working days").
public enum PathwayParameter: String, Sendable, Hashable, CaseIterable, Codable {
    /// The due rule of every handoff the base's rules request.
    case handoffDue = "handoff_due"
    /// The actor told about escalations and overdue handoffs.
    case escalationActor = "escalation_actor"
    /// The eligible ages (`{min, max}`).
    case eligibilityAge = "eligibility_age"
}
