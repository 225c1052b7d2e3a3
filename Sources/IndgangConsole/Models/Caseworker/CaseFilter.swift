/// The filters of `GET /console/cases` as the query string gave them (`pathway`, `status`, `overdue`, `flagged`).
public struct CaseFilter: Sendable, Equatable {
    /// A pathway id, or nil for all.
    public var pathway: String?
    /// `open`, `closed`, or nil for both.
    public var status: String?
    /// Only cases whose pending handoff is past its due time.
    public var overdue: Bool
    /// Only cases with a flag (readmission, re-offence).
    public var flagged: Bool

    public init(pathway: String? = nil, status: String? = "open", overdue: Bool = false, flagged: Bool = false) {
        self.pathway = pathway
        self.status = status
        self.overdue = overdue
        self.flagged = flagged
    }
}
