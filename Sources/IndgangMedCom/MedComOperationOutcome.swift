/// An OperationOutcome, as an acknowledgement carries it when the answer is not `ok`.
public struct MedComOperationOutcome: Sendable, Equatable {
    public struct Issue: Sendable, Equatable {
        public static let severities = ["fatal", "error", "warning", "information"]
        public let severity: String
        public let code: String
        public let details: [FHIRCoding]
        public let text: String?
    }

    public let id: String
    public let issues: [Issue]
    public let path: String

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComOperationOutcome {
        try resource.allowOnly(FHIRObject.resourceBasics.union(["issue"]), in: "the acknowledgement OperationOutcome")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        var issues: [Issue] = []
        for element in try resource.requiredObjects("issue") {
            try element.allowOnly(["severity", "code", "details", "diagnostics", "location", "expression"], in: "OperationOutcome.issue")
            _ = try element.string("diagnostics")
            _ = try element.strings("location")
            _ = try element.strings("expression")
            var details: [FHIRCoding] = []
            var text: String?
            if let object = try element.object("details") {
                try object.allowOnly(["coding", "text"], in: "CodeableConcept")
                for coding in try object.objects("coding") ?? [] { details.append(try FHIRCoding.read(coding)) }
                text = try object.string("text")
            }
            issues.append(
                Issue(
                    severity: try element.requiredCode("severity", in: Issue.severities), code: try element.requiredString("code"), details: details,
                    text: text))
        }
        return MedComOperationOutcome(id: id, issues: issues, path: resource.path)
    }
}
