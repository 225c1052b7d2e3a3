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
}
