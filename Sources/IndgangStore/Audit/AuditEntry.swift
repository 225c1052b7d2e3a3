import Foundation

public struct AuditEntry: Sendable, Equatable {
    public let sequence: Int64
    public let at: Date
    public let keyID: UUID?
    public let actor: String?
    public let role: String
    public let action: String
    public let citizenID: UUID?
    public let caseID: UUID?
    public let purpose: String
    public let requestID: String?
    /// A query's parameters as a JSON object (coordinator queries), never data.
    public var details: String? = nil
}

/// Whose audit log to read: one citizen's ("who looked at me") or one actor's ("what did they do").
public enum AuditSubject: Sendable, Equatable {
    case citizen(UUID)
    case actor(slug: String)
}
