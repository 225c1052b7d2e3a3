/// The MessageHeader: which kind of message, who sends it to whom, and (in an acknowledgement) what it answers.
public struct MedComMessageHeader: Sendable, Equatable {
    public enum Event: String, Sendable, Equatable, CaseIterable {
        case hospitalNotification = "hospital-notification-message"
        case acknowledgement = "acknowledgement-message"
    }

    public struct Response: Sendable, Equatable {
        public static let codes = ["ok", "transient-error", "fatal-error"]
        public let identifier: String
        public let code: String
        public let details: FHIRReference?
    }

    /// The letter id: the same across resends; a repeat is a duplicate (MR8.R).
    public let id: String
    public let event: Event
    /// The path of `eventCoding.code`, to name it in errors.
    public let eventPath: String
    public let sender: FHIRReference
    public let receiver: FHIRReference
    public let destinationEndpoint: String
    /// Where the acknowledgement goes.
    public let sourceEndpoint: String
    public let focus: [FHIRReference]
    public let response: Response?
    /// The request for an admission report (`reportOfAdmissionExtension`), when sent.
    public let reportOfAdmission: Bool?
    public let path: String

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComMessageHeader {
        let allowed: Set<String> = ["extension", "eventCoding", "destination", "sender", "source", "focus", "response"]
        try resource.allowOnly(FHIRObject.resourceBasics.union(allowed), in: "the MedCom MessageHeader")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        let eventObject = try resource.requiredObject("eventCoding")
        let eventCode = try FHIRCoding.read(eventObject, system: MedCom.System.eventCodes, codes: Event.allCases.map(\.rawValue))
        let event = Event(rawValue: eventCode) ?? .hospitalNotification
        var reportOfAdmission: Bool?
        for element in try resource.objects("extension") ?? [] {
            switch try element.requiredString("url") {
            case MedCom.Extension.reportOfAdmission:
                try element.allowOnly(["url", "valueBoolean"], in: "the reportOfAdmission extension")
                guard let flag = try element.bool("valueBoolean") else {
                    throw MedComParseError(path: element.path("valueBoolean"), problem: .missing)
                }
                reportOfAdmission = flag
            case MedCom.Extension.reportOfAdmissionRecipient:
                try element.allowOnly(["url", "valueReference"], in: "the reportOfAdmissionRecipient extension")
                _ = try FHIRReference.required(element, "valueReference")
            case let url:
                throw MedComParseError(
                    path: element.path("url"), problem: .notAllowed("the extension \(url) is not part of the MedCom MessageHeader"))
            }
        }
        let destinations = try resource.requiredObjects("destination")
        let destination = destinations[0]
        try destination.allowOnly(["extension", "name", "endpoint", "receiver"], in: "MessageHeader.destination")
        _ = try destination.string("name")
        let uses = try destination.requiredObjects("extension")
        for use in uses {
            let url = try use.requiredString("url")
            guard url == MedCom.Extension.destinationUse else {
                throw MedComParseError(path: use.path("url"), problem: .notAllowed("the extension \(url) is not part of MessageHeader.destination"))
            }
            try use.allowOnly(["url", "valueCoding"], in: "the destinationUse extension")
            let code = try FHIRCoding.read(use.requiredObject("valueCoding"), system: MedCom.System.destinationUse, codes: ["primary", "cc"])
            guard code == "primary" else {
                throw MedComParseError(
                    path: use.path("valueCoding.code"), problem: .notAllowed("a carbon-copy destination is not allowed (one primary receiver)"))
            }
        }
        guard uses.count == 1 else { throw MedComParseError(path: uses[1].path, problem: .duplicate("a second destination use")) }
        guard destinations.count == 1 else {
            throw MedComParseError(path: destinations[1].path, problem: .notAllowed("a message has exactly one (primary) destination"))
        }
        let source = try resource.requiredObject("source")
        try source.allowOnly(["name", "software", "version", "endpoint"], in: "MessageHeader.source")
        _ = try source.string("name")
        _ = try source.string("software")
        _ = try source.string("version")
        var focus: [FHIRReference] = []
        for element in try resource.objects("focus") ?? [] { focus.append(try FHIRReference.read(element)) }
        var response: Response?
        if let element = try resource.object("response") {
            try element.allowOnly(["identifier", "code", "details"], in: "MessageHeader.response")
            guard event == .acknowledgement else {
                throw MedComParseError(path: element.path, problem: .notAllowed("only an acknowledgement carries a response"))
            }
            response = Response(
                identifier: try element.id("identifier", required: true) ?? "", code: try element.requiredCode("code", in: Response.codes),
                details: try FHIRReference.read(element, "details"))
        }
        switch event {
        case .hospitalNotification where focus.count != 1:
            throw MedComParseError(
                path: resource.path("focus"), problem: focus.isEmpty ? .missing : .notAllowed("a HospitalNotification has one focus, the Encounter"))
        case .acknowledgement where response == nil:
            throw MedComParseError(path: resource.path("response"), problem: .missing)
        default:
            break
        }
        return MedComMessageHeader(
            id: id, event: event, eventPath: eventObject.path("code"), sender: try FHIRReference.required(resource, "sender"),
            receiver: try FHIRReference.required(destination, "receiver"), destinationEndpoint: try destination.requiredString("endpoint"),
            sourceEndpoint: try source.requiredString("endpoint"), focus: focus, response: response, reportOfAdmission: reportOfAdmission,
            path: resource.path)
    }
}
