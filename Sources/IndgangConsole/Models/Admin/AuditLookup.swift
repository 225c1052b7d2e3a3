/// The answer to "who looked at this citizen" (`POST /v1/audit/search` by CPR).
public enum AuditLookup: Sendable, Equatable {
    case notFound
    case found([AuditRecord])
}
