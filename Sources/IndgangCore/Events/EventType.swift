/// The events systems of record post, and the attributes each carries (API.md, Events).
public enum EventType: String, Sendable, CaseIterable, Codable {
    case hospitalAdmitted = "hospital.admitted"
    case hospitalDischarged = "hospital.discharged"
    case hospitalLeaveStarted = "hospital.leave_started"
    case hospitalLeaveEnded = "hospital.leave_ended"
    case prisonAdmitted = "prison.admitted"
    case prisonReleasePlanned = "prison.release_planned"
    case prisonReleased = "prison.released"
    case justiceConvicted = "justice.convicted"
    case serviceStarted = "municipality.service_started"
    case serviceEnded = "municipality.service_ended"
    case citizenMoved = "citizen.moved"
    case citizenDied = "citizen.died"
    /// Takes back an event the same actor posted (`attributes: {source, id}`).
    case eventRetracted = "event.retracted"
    /// Replaces an earlier event's time and/or attributes (`attributes: {source, id, occurred_at?, attributes?}`).
    case eventCorrected = "event.corrected"

    /// An envelope that retracts or corrects an earlier event, rather than saying what happened.
    public var amendsAnEvent: Bool { self == .eventRetracted || self == .eventCorrected }

    public var attributes: [AttributeSpec] {
        switch self {
        case .hospitalAdmitted:
            return [
                .init("episode_id", .text), .init("admission", .choice(["acute", "planned", "unknown"])),
                .init("setting", .choice(["inpatient", "acute_ambulant"]), required: false),
                .init("department", .text, required: false), .init("actor", .actor),
            ]
        case .hospitalDischarged:
            return [
                .init("episode_id", .text), .init("discharged_to", .choice(["home", "nursing_home", "other_hospital", "deceased", "died"])),
                .init("actor", .actor),
            ]
        case .hospitalLeaveStarted, .hospitalLeaveEnded:
            return [.init("episode_id", .text), .init("actor", .actor)]
        case .prisonAdmitted, .prisonReleased:
            return [.init("actor", .actor)]
        case .prisonReleasePlanned:
            return [.init("release_date", .date), .init("actor", .actor)]
        case .justiceConvicted:
            return [.init("offence_date", .date), .init("sentence", .choice(["unconditional", "conditional", "fine", "acquittal"]))]
        case .serviceStarted, .serviceEnded:
            return [.init("service", .text), .init("actor", .actor)]
        case .citizenMoved:
            return [.init("municipality_code", .municipalityCode)]
        case .citizenDied:
            return []
        case .eventRetracted:
            return [.init("source", .text), .init("id", .text)]
        case .eventCorrected:
            // `attributes` (the replacement attributes, an object) is read by the envelope, not as a string.
            return [.init("source", .text), .init("id", .text), .init("occurred_at", .instant, required: false)]
        }
    }

    /// The kinds of organisation whose systems may be named as this event's `actor`.
    public var actorKinds: [ActorKind] {
        switch self {
        case .hospitalAdmitted, .hospitalDischarged, .hospitalLeaveStarted, .hospitalLeaveEnded: return [.hospital, .psychiatry]
        case .prisonAdmitted, .prisonReleasePlanned, .prisonReleased: return [.prison]
        case .serviceStarted, .serviceEnded: return [.municipality]
        case .justiceConvicted, .citizenMoved, .citizenDied, .eventRetracted, .eventCorrected: return []
        }
    }

    /// Checks an event's attributes (all JSON strings) against the type; issues name `attributes.<name>`.
    /// Whether a named actor exists, and is of an allowed kind, is checked by the store.
    public func validate(_ attributes: [String: String]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let specs = self.attributes
        for spec in specs {
            let field = "attributes.\(spec.name)"
            guard let value = attributes[spec.name] else {
                if spec.required { issues.append(FieldIssue(field: field, message: "is required for \(rawValue)")) }
                continue
            }
            if let problem = spec.kind.problem(with: value) { issues.append(FieldIssue(field: field, message: problem)) }
        }
        for name in attributes.keys.sorted() where !specs.contains(where: { $0.name == name }) {
            issues.append(FieldIssue(field: "attributes.\(name)", message: "is not an attribute of \(rawValue)"))
        }
        return issues
    }
}

public struct AttributeSpec: Sendable {
    public enum Kind: Sendable {
        case text
        case choice([String])
        case date
        case actor
        case municipalityCode
        /// An RFC 3339 time.
        case instant

        func problem(with value: String) -> String? {
            switch self {
            case .text:
                return value.isEmpty ? "must be 1–200 characters" : StoredText.problem(value, maxLength: 200)
            case .choice(let values):
                return values.contains(value) ? nil : "must be one of \(values.joined(separator: ", "))"
            case .date:
                return CalendarDate(iso: value) == nil ? "must be a date, YYYY-MM-DD" : nil
            case .actor:
                return ActorSlug.isValid(value) ? nil : "must be an actor slug"
            case .municipalityCode:
                return MunicipalityCode.isValid(value) ? nil : "must be a three-digit municipality code"
            case .instant:
                return RFC3339.parse(value) == nil ? "must be an RFC 3339 time with offset" : nil
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let required: Bool

    public init(_ name: String, _ kind: Kind, required: Bool = true) {
        self.name = name
        self.kind = kind
        self.required = required
    }
}
