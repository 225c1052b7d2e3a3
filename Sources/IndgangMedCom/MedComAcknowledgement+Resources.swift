import IndgangCore
/// The resources an acknowledgement copies or adds, written as FHIR JSON.
extension MedComAcknowledgement {
    static func coding(_ system: String, _ code: String) -> JSONValue {
        .object(JSONObject([("system", .string(system)), ("code", .string(code))]))
    }

    static func reference(_ text: String) -> JSONValue {
        .object(JSONObject([("reference", .string(text))]))
    }

    static func profile(_ url: String) -> JSONValue {
        .object(JSONObject([("profile", .array([.string(url)]))]))
    }

    /// The original's current Provenance, as it was sent (times keep their text).
    static func copy(_ provenance: MedComProvenance) -> JSONObject {
        let entities = provenance.entities.map { entity in
            JSONValue.object(JSONObject([("role", .string(entity.role)), ("what", reference(entity.what.reference ?? ""))]))
        }
        return JSONObject([
            ("resourceType", .string("Provenance")), ("id", .string(provenance.id)), ("meta", profile(MedCom.Profile.provenance)),
            ("target", .array(provenance.targets.map { reference($0.reference ?? "") })), ("occurredDateTime", .string(provenance.occurred.text)),
            ("recorded", .string(provenance.recorded.text)),
            ("activity", .object(JSONObject([("coding", .array([coding(MedCom.System.activityCodes, provenance.activity)]))]))),
            ("agent", .array(provenance.agents.map { .object(JSONObject([("who", reference($0.reference ?? ""))])) })),
            ("entity", entities.isEmpty ? nil : .array(entities)),
        ])
    }

    static func copy(_ organization: MedComOrganization) -> JSONObject {
        var identifiers: [JSONValue] = []
        if let gln = organization.gln {
            identifiers.append(.object(JSONObject([("system", .string(organization.glnSystem ?? MedCom.System.gln)), ("value", .string(gln))])))
        }
        identifiers.append(.object(JSONObject([("system", .string(MedCom.System.sor)), ("value", .string(organization.sor))])))
        return JSONObject([
            ("resourceType", .string("Organization")), ("id", .string(organization.id)), ("meta", profile(MedCom.Profile.organization)),
            ("identifier", .array(identifiers)), ("name", organization.name.map(JSONValue.string)),
        ])
    }

    static func outcome(_ id: String, _ issues: [MedComIssue]) -> JSONObject {
        let issues = issues.map { issue in
            let details = JSONObject([
                ("coding", issue.detail.map { .array([coding($0.system, $0.code)]) }), ("text", .string(issue.text)),
            ])
            return JSONValue.object(
                JSONObject([
                    ("severity", .string(issue.severity.rawValue)), ("code", .string(issue.code)), ("details", .object(details)),
                    ("expression", issue.expression.map { .array([.string($0)]) }),
                ]))
        }
        return JSONObject([
            ("resourceType", .string("OperationOutcome")), ("id", .string(id)), ("meta", profile(MedCom.Profile.operationOutcome)),
            ("issue", .array(issues)),
        ])
    }
}
