/// The kind of organisation unit that can hold responsibility for a case.
public enum ActorKind: String, Sendable, CaseIterable, Codable {
    case municipality, hospital, prison, psychiatry, other
}
