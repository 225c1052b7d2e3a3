/// What the viewer typed into the open-case form, shown again when a field was refused.
public struct NewCaseValues: Sendable, Equatable {
    public var cpr: String
    public var pathway: String?
    public var summary: String

    public init(cpr: String = "", pathway: String? = nil, summary: String = "") {
        self.cpr = cpr
        self.pathway = pathway
        self.summary = summary
    }
}
