import Foundation

/// One row of a citizen's audit log: who (key's actor and role) did what, when and why.
public struct AuditRecord: Sendable, Equatable {
    public var at: Date
    public var actor: String?
    public var role: String
    public var action: String
    public var purpose: String
    public var caseID: String?

    public init(at: Date, actor: String?, role: String, action: String, purpose: String, caseID: String? = nil) {
        self.at = at
        self.actor = actor
        self.role = role
        self.action = action
        self.purpose = purpose
        self.caseID = caseID
    }
}
