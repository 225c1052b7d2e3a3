/// What an API key may do; every key is bound to one actor and one role.
public enum Role: String, Sendable, CaseIterable, Codable {
    case caseworker, coordinator, integration, admin

    /// The audit purpose recorded when a request gives no `X-Purpose` header.
    public var defaultPurpose: String {
        switch self {
        case .caseworker: return "casework"
        case .coordinator: return "coordination"
        case .integration: return "integration"
        case .admin: return "administration"
        }
    }
}
