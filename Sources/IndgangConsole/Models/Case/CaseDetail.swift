import Foundation

/// One case as the case page shows it (`GET /v1/cases/{id}` with names and titles). Never the CPR: that is
/// revealed on purpose (`CasePage`'s `revealedCPR`).
public struct CaseDetail: Sendable, Equatable {
    public var id: String
    public var pathway: String
    /// The variant in force (its title), if not the base pathway.
    public var pathwayVariant: String?
    /// `open` or `closed`.
    public var status: String
    public var responsible: ActorRef
    public var openedAt: Date
    public var closedAt: Date?
    /// Why it was closed (`completed`, `moved`, …).
    public var outcome: String?
    public var summary: String
    /// The version the summary form sends back, so a concurrent edit is refused (412) rather than lost.
    public var version: Int
    public var flags: [String]
    public var externalRef: String?
    public var pendingHandoff: HandoffItem?

    public init(
        id: String, pathway: String, pathwayVariant: String? = nil, status: String, responsible: ActorRef, openedAt: Date,
        closedAt: Date? = nil, outcome: String? = nil, summary: String, version: Int, flags: [String] = [], externalRef: String? = nil,
        pendingHandoff: HandoffItem? = nil
    ) {
        self.id = id
        self.pathway = pathway
        self.pathwayVariant = pathwayVariant
        self.status = status
        self.responsible = responsible
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.outcome = outcome
        self.summary = summary
        self.version = version
        self.flags = flags
        self.externalRef = externalRef
        self.pendingHandoff = pendingHandoff
    }
}
