/// One problem with a message, as an acknowledgement's OperationOutcome reports it: FHIR issue severity and
/// type, an optional detail code from the acknowledgement value set, a text and the element (a FHIRPath).
public struct MedComIssue: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable {
        case fatal, error, warning, information
    }

    /// A coded detail: the MedCom acknowledgement error codes or the FHIR operation-outcome codes.
    public struct Detail: Sendable, Equatable, Codable {
        public let system: String
        public let code: String

        public init(system: String, code: String) {
            self.system = system
            self.code = code
        }

        public static func medcom(_ code: String) -> Detail { Detail(system: MedCom.System.acknowledgementErrorCodes, code: code) }
        public static func fhir(_ code: String) -> Detail { Detail(system: MedCom.System.operationOutcomeCodes, code: code) }
    }

    public let severity: Severity
    /// FHIR `issue-type`: `structure`, `required`, `value`, `invalid`, `not-found`, `transient`, `business-rule` ….
    public let code: String
    public let detail: Detail?
    /// Human-readable, names the element; never carries a CPR number or other personal data.
    public let text: String
    /// The element as a FHIRPath, e.g. `Bundle.entry[2].resource.period.end`; nil when the whole message is meant.
    public let expression: String?

    public init(severity: Severity = .error, code: String, detail: Detail? = nil, text: String, expression: String?) {
        self.severity = severity
        self.code = code
        self.detail = detail
        self.text = text
        self.expression = expression
    }
}
