import Foundation
import IndgangCore

/// The MedCom Acknowledgement (a `message` Bundle, `application/fhir+json`) answering a message, shaped like
/// the Acknowledgement IG's examples: MessageHeader, a copy of the original's current Provenance, the
/// acknowledgement's own Provenance, the two Organizations swapped, and an OperationOutcome unless `ok`.
///
/// Deterministic: every id derives from the original MessageHeader.id and the code, so the same message,
/// code, issues and timestamp always give the same bytes (a duplicate gets the identical acknowledgement).
public enum MedComAcknowledgement {
    public enum Code: String, Sendable, Equatable {
        case ok
        /// Our fault; the sender may resend.
        case transientError = "transient-error"
        /// Invalid content; do not resend.
        case fatalError = "fatal-error"
    }

    public static let contentType = "application/fhir+json"

    /// Answers a message that was read.
    public static func make(for message: MedComMessage, code: Code, issues: [MedComIssue], timestamp: Date) -> Data {
        build(AcknowledgedMessage(message), code: code, issues: issues, timestamp: timestamp)
    }

    /// Answers a body that could not be read as a message, salvaging what it can. `response.identifier` is the
    /// MessageHeader.id when one can be found, else the Bundle.id, else a name-based UUID of the body's bytes
    /// (so the same broken body always gets the same answer).
    public static func make(forUnreadable body: Data, code: Code = .fatalError, issues: [MedComIssue], timestamp: Date) -> Data {
        build(AcknowledgedMessage(salvaging: body), code: code, issues: issues, timestamp: timestamp)
    }

    private struct IDs {
        let bundle, header, provenance, outcome: String

        init(_ original: AcknowledgedMessage, _ code: Code) {
            let name = "\(original.messageID)|\(code.rawValue)"
            bundle = NameDigest.uuid("medcom-acknowledgement-bundle|\(name)")
            header = NameDigest.uuid("medcom-acknowledgement-header|\(name)")
            provenance = NameDigest.uuid("medcom-acknowledgement-provenance|\(name)")
            outcome = NameDigest.uuid("medcom-acknowledgement-outcome|\(name)")
        }
    }

    private static func build(_ original: AcknowledgedMessage, code: Code, issues: [MedComIssue], timestamp: Date) -> Data {
        let ids = IDs(original, code)
        let time = JSONValue.string(RFC3339.format(timestamp))
        // The invariant medcom-acknowledgement-1 wants an OperationOutcome with every answer but `ok`.
        let reported = code == .ok ? [] : (issues.isEmpty ? [generic(code)] : issues)
        var resources = [header(original, code: code, ids: ids, outcome: !reported.isEmpty)]
        if let provenance = original.provenance { resources.append(copy(provenance)) }
        resources.append(acknowledgementProvenance(original, ids: ids, time: time))
        for organization in [original.receiver, original.sender].compactMap({ $0 })
        where !resources.contains(where: { $0["resourceType"] == .string("Organization") && $0["id"] == .string(organization.id) }) {
            resources.append(copy(organization))
        }
        if !reported.isEmpty { resources.append(outcome(ids.outcome, reported)) }
        let entries = resources.map { resource in
            let type = resource["resourceType"]?.stringValue ?? ""
            let id = resource["id"]?.stringValue ?? ""
            return JSONValue.object(JSONObject([("fullUrl", .string("\(type)/\(id)")), ("resource", .object(resource))]))
        }
        let bundle = JSONObject([
            ("resourceType", .string("Bundle")), ("id", .string(ids.bundle)), ("meta", profile(MedCom.Profile.acknowledgementMessage)),
            ("type", .string("message")), ("timestamp", time), ("entry", .array(entries)),
        ])
        return JSONValue.object(bundle).serialized()
    }

    /// Addressed back: our organisation (the original's receiver) sends to theirs, at their `source.endpoint`.
    private static func header(_ original: AcknowledgedMessage, code: Code, ids: IDs, outcome: Bool) -> JSONObject {
        let use = JSONObject([("url", .string(MedCom.Extension.destinationUse)), ("valueCoding", coding(MedCom.System.destinationUse, "primary"))])
        let endpoint = original.sourceEndpoint ?? original.sender.map { MedCom.System.sorEndpoint($0.sor) }
        let destination = JSONObject([
            ("extension", .array([.object(use)])), ("endpoint", endpoint.map(JSONValue.string)),
            ("receiver", original.sender.map { reference("Organization/\($0.id)") }),
        ])
        let response = JSONObject([
            ("identifier", .string(original.messageID)), ("code", .string(code.rawValue)),
            ("details", outcome ? reference("OperationOutcome/\(ids.outcome)") : nil),
        ])
        let source = original.destinationEndpoint ?? original.receiver.map { MedCom.System.sorEndpoint($0.sor) } ?? "urn:indgang:medcom"
        return JSONObject([
            ("resourceType", .string("MessageHeader")), ("id", .string(ids.header)), ("meta", profile(MedCom.Profile.acknowledgementHeader)),
            ("eventCoding", coding(MedCom.System.eventCodes, MedComMessageHeader.Event.acknowledgement.rawValue)),
            ("destination", endpoint == nil ? nil : .array([.object(destination)])),
            ("sender", original.receiver.map { reference("Organization/\($0.id)") }),
            ("source", .object(JSONObject([("endpoint", .string(source))]))), ("response", .object(response)),
        ])
    }

    private static func acknowledgementProvenance(_ original: AcknowledgedMessage, ids: IDs, time: JSONValue) -> JSONObject {
        let agent = original.receiver.map { reference("Organization/\($0.id)") } ?? .object(JSONObject([("display", .string("Indgang"))]))
        let entity = JSONObject([("role", .string("revision")), ("what", reference("MessageHeader/\(original.messageID)"))])
        return JSONObject([
            ("resourceType", .string("Provenance")), ("id", .string(ids.provenance)), ("meta", profile(MedCom.Profile.provenance)),
            ("target", .array([reference("MessageHeader/\(ids.header)")])), ("occurredDateTime", time), ("recorded", time),
            ("activity", .object(JSONObject([("coding", .array([coding(MedCom.System.activityCodes, "acknowledgement")]))]))),
            ("agent", .array([.object(JSONObject([("who", agent)]))])), ("entity", .array([.object(entity)])),
        ])
    }

    private static func generic(_ code: Code) -> MedComIssue {
        code == .transientError
            ? MedComIssue(severity: .error, code: "transient", text: "the message could not be processed now; resend it later", expression: nil)
            : MedComIssue(severity: .error, code: "processing", text: "the message was refused", expression: nil)
    }
}
