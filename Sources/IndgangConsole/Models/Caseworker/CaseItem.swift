import Foundation

/// A case in a list (`GET /v1/cases` items, with the responsible actor's name and the pathway's title).
public struct CaseItem: Sendable, Equatable {
    public var id: String
    public var pathway: String
    /// `open` or `closed`.
    public var status: String
    public var responsible: ActorRef
    public var openedAt: Date
    public var closedAt: Date?
    public var summary: String
    /// `readmission`, `reoffence`.
    public var flags: [String]
    public var pendingHandoff: HandoffItem?

    public init(
        id: String, pathway: String, status: String, responsible: ActorRef, openedAt: Date, closedAt: Date? = nil, summary: String = "",
        flags: [String] = [], pendingHandoff: HandoffItem? = nil
    ) {
        self.id = id
        self.pathway = pathway
        self.status = status
        self.responsible = responsible
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.summary = summary
        self.flags = flags
        self.pendingHandoff = pendingHandoff
    }
}
