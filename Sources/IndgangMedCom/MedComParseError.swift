/// Why a body is not an acceptable MedCom message, naming the element as a FHIRPath-like path
/// (`Bundle.entry[3].resource.episodeOfCare[0].identifier.value`).
public struct MedComParseError: Error, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// Not JSON at all (the reader's message and byte offset).
        case notJSON(String)
        /// JSON, but not an object whose `resourceType` is `Bundle`.
        case notABundle
        case wrongType(expected: String, found: String)
        case missing
        /// An element the profiles forbid, or one this model does not know (the reason says which).
        case notAllowed(String)
        case unknownResourceType(String)
        /// A code outside the value set the element is bound to.
        case unknownCode(String, allowed: [String])
        case invalidValue(String)
        case unresolvedReference(String)
        case duplicate(String)
        /// A resource the message needs is absent (e.g. no Patient).
        case missingResource(String)
        /// Required content is absent (a SOR identifier, an activity code, the entity a correction names).
        case missingElement(String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// API.md: a body that is not a FHIR JSON Bundle is an HTTP problem (400/415), not an acknowledgement.
    public var isNotAFHIRBundle: Bool {
        switch problem {
        case .notJSON, .notABundle: return true
        default: return false
        }
    }

    public var message: String {
        switch problem {
        case .notJSON(let reason): return "the body is not JSON: \(reason)"
        case .notABundle: return "the body is not a FHIR Bundle"
        case .wrongType(let expected, let found): return "must be \(expected), not \(found)"
        case .missing: return "is required"
        case .notAllowed(let reason): return reason
        case .unknownResourceType(let type): return "resource type \(type) is not part of a HospitalNotification or Acknowledgement"
        case .unknownCode(let code, let allowed): return "\(code) is not one of \(allowed.joined(separator: ", "))"
        case .invalidValue(let reason): return reason
        case .unresolvedReference(let reference): return "\(reference) does not resolve within the Bundle"
        case .duplicate(let what): return what
        case .missingResource(let what), .missingElement(let what): return what
        }
    }

    /// The issue an acknowledgement reports (`fatal-error`).
    public var issue: MedComIssue {
        let (code, detail): (String, MedComIssue.Detail) =
            switch problem {
            case .notJSON: ("structure", .fhir("MSG_BAD_SYNTAX"))
            case .notABundle: ("structure", .fhir("MSG_JSON_OBJECT"))
            case .wrongType: ("structure", .medcom("MSG_Datatype_Wrong"))
            case .missing: ("required", .fhir("MSG_BAD_FORMAT"))
            case .notAllowed: ("structure", .fhir("MSG_BAD_FORMAT"))
            case .unknownResourceType: ("structure", .fhir("MSG_UNKNOWN_TYPE"))
            case .unknownCode: ("code-invalid", .medcom("MSG_VALUESET_VALUE_UNKNOWN"))
            case .invalidValue: ("value", .fhir("MSG_BAD_FORMAT"))
            case .unresolvedReference: ("invalid", .fhir("MSG_LOCAL_FAIL"))
            case .duplicate: ("duplicate", .fhir("MSG_DUPLICATE_ID"))
            case .missingResource: ("required", .fhir("MSG_RESOURCE_REQUIRED"))
            case .missingElement: ("required", .fhir("MSG_BAD_FORMAT"))
            }
        return MedComIssue(severity: .error, code: code, detail: detail, text: "\(path): \(message)", expression: path)
    }
}
