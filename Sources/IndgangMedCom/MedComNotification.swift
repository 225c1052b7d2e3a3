/// What a HospitalNotification says happened, decided from the current Provenance's activity and
/// `Patient.deceased` alone — never from `Encounter.status`, which the official examples contradict.
///
/// Whether a death report is a first MORS or a correction of one (RE_MORS) depends on the episode's history,
/// so `MedComMapper` makes that last call.
public struct MedComNotification: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case none
        /// RE_xx (`revise-<code>`, `entity.role = revision`): corrects the message with this MessageHeader.id.
        case revision(of: String)
        /// AN_xx (`cancel-<code>`, `entity.role = removal`), or AN_MORS (unchanged activity, deceased false,
        /// `entity.role = removal`): cancels the message with this MessageHeader.id.
        case cancellation(of: String)
    }

    /// The activity without its prefix: for MORS, RE_MORS and AN_MORS the stay's current activity.
    public let activity: MedComActivity
    public let event: MedComEventCode
    public let change: Change
    public let deceased: Bool
    /// `entity.what` of an unchanged-activity message: the stay's previous message (or, for RE_MORS, the MORS).
    public let previousMessageID: String?
    /// The path of the `entity.what` that `change` or `previousMessageID` came from, to name it in answers.
    public let referencePath: String?

    /// `STIN`, `RE_STIN`, `AN_STIN`, `MORS`, `AN_MORS` ….
    public var code: String {
        switch change {
        case .none: return event.rawValue
        case .revision: return "RE_\(event.rawValue)"
        case .cancellation: return "AN_\(event.rawValue)"
        }
    }

    public init(_ message: MedComMessage) throws(MedComParseError) {
        let provenance = message.currentProvenance
        guard message.header.event == .hospitalNotification, let patient = message.patient else {
            throw MedComParseError(
                path: message.header.eventPath,
                problem: .unknownCode(message.header.event.rawValue, allowed: [MedComMessageHeader.Event.hospitalNotification.rawValue]))
        }
        var code = provenance.activity
        var prefix = ""
        for candidate in ["revise-", "cancel-"] where code.hasPrefix(candidate) {
            prefix = candidate
            code.removeFirst(candidate.count)
        }
        guard let activity = MedComActivity(rawValue: code) else {
            throw MedComParseError(path: provenance.activityPath, problem: .unknownCode(provenance.activity, allowed: MedComActivity.allCodes))
        }
        let revisions = try Self.references(in: provenance, role: "revision")
        let removals = try Self.references(in: provenance, role: "removal")
        self.activity = activity
        deceased = patient.deceased
        switch prefix {
        case "revise-":
            let (target, path) = try Self.single(revisions, role: "revision", provenance: provenance)
            event = activity.eventCode
            change = .revision(of: target)
            previousMessageID = nil
            referencePath = path
        case "cancel-":
            let (target, path) = try Self.single(removals, role: "removal", provenance: provenance)
            event = activity.eventCode
            change = .cancellation(of: target)
            previousMessageID = nil
            referencePath = path
        default:
            if !removals.isEmpty {
                // AN_MORS: the activity stays, the death is taken back.
                guard !patient.deceased else {
                    throw MedComParseError(path: removals[0].path, problem: .invalidValue("a cancellation (removal) cannot report a death"))
                }
                let (target, path) = try Self.single(removals, role: "removal", provenance: provenance)
                event = .MORS
                change = .cancellation(of: target)
                previousMessageID = nil
                referencePath = path
            } else {
                guard revisions.count <= 1 else {
                    throw MedComParseError(path: revisions[1].path, problem: .duplicate("a second revision entity"))
                }
                event = patient.deceased ? .MORS : activity.eventCode
                change = .none
                previousMessageID = revisions.first?.id
                referencePath = revisions.first?.path
            }
        }
    }

    private static func references(in provenance: MedComProvenance, role: String) throws(MedComParseError) -> [(id: String, path: String)] {
        var found: [(id: String, path: String)] = []
        for entity in provenance.entities where entity.role == role {
            guard let id = entity.what.id(ofType: "MessageHeader") else {
                throw MedComParseError(
                    path: entity.what.path + ".reference", problem: .invalidValue("must name a MessageHeader (MessageHeader/<id>)"))
            }
            found.append((id, entity.what.path))
        }
        return found
    }

    private static func single(
        _ references: [(id: String, path: String)], role: String, provenance: MedComProvenance
    ) throws(MedComParseError) -> (String, String) {
        guard let first = references.first else {
            throw MedComParseError(
                path: provenance.path + ".entity", problem: .missingElement("no entity with role \(role) names the message concerned"))
        }
        guard references.count == 1 else { throw MedComParseError(path: references[1].path, problem: .duplicate("a second \(role) entity")) }
        return (first.id, first.path)
    }
}
