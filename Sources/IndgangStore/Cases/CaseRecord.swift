import Foundation
import IndgangCore

public struct CaseRecord: Sendable, Equatable {
    public let id: UUID
    public let citizenID: UUID
    public let pathway: String
    /// The local variant the case runs under (nil: the base pathway).
    public let variant: VariantReference?
    public let status: CaseStatus
    public let responsibleActor: String
    public let pendingHandoff: HandoffRecord?
    public let openedAt: Date
    public let closedAt: Date?
    public let closeOutcome: CloseOutcome?
    public let summary: String
    public let externalRef: String?
    public let version: Int
    public let flags: [String]
}

public struct OpenCaseCommand: Sendable {
    public let cpr: CPR
    /// A pathway id from the catalog (validated by the caller).
    public let pathway: String
    public let summary: String
    public let externalRef: String?

    public init(cpr: CPR, pathway: String, summary: String, externalRef: String?) {
        self.cpr = cpr
        self.pathway = pathway
        self.summary = summary
        self.externalRef = externalRef
    }
}

public struct CaseListQuery: Sendable {
    public enum Responsible: Sendable, Equatable {
        case me
        case actor(slug: String)
    }

    public var status: CaseStatus?
    public var pathway: String?
    public var responsible: Responsible?
    public var cursor: UUID?
    public var limit: Int

    public init(status: CaseStatus? = nil, pathway: String? = nil, responsible: Responsible? = nil, cursor: UUID? = nil, limit: Int = 50) {
        self.status = status
        self.pathway = pathway
        self.responsible = responsible
        self.cursor = cursor
        self.limit = limit
    }
}
