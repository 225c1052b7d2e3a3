import Foundation
import IndgangCore

/// A MedCom message (a FHIR `Bundle` of type `message`) read strictly: a HospitalNotification or an
/// Acknowledgement, with its references resolved within the Bundle.
public struct MedComMessage: Sendable, Equatable {
    public static let resourceTypes = ["MessageHeader", "Patient", "Encounter", "Organization", "Provenance", "OperationOutcome"]

    /// The envelope id: new on every send and resend.
    public let bundleID: String
    public let timestamp: FHIRDateTime
    public let header: MedComMessageHeader
    public let sender: MedComOrganization
    public let receiver: MedComOrganization
    /// Present in every HospitalNotification, absent from acknowledgements.
    public let patient: MedComPatient?
    public let encounter: MedComEncounter?
    public let serviceProvider: MedComOrganization?
    public let organizations: [MedComOrganization]
    public let provenances: [MedComProvenance]
    /// The Provenance whose `target` is this message's MessageHeader: it carries the current activity.
    public let currentProvenance: MedComProvenance
    public let operationOutcome: MedComOperationOutcome?

    /// Reads a request body. Never traps; every problem is a `MedComParseError` naming the element.
    public init(json data: Data) throws(MedComParseError) {
        let root: JSONValue
        do {
            root = try JSONReader.read(data)
        } catch {
            throw MedComParseError(path: "Bundle", problem: .notJSON("\(error.message) at byte \(error.offset)"))
        }
        guard case .object(let fields) = root, fields["resourceType"] == .string("Bundle") else {
            throw MedComParseError(path: "Bundle", problem: .notABundle)
        }
        let bundle = try FHIRObject(root, at: "Bundle")
        try bundle.allowOnly(["resourceType", "id", "meta", "language", "identifier", "type", "timestamp", "entry"], in: "a message Bundle")
        try bundle.checkResourceBasics()
        if let identifier = try bundle.object("identifier") { _ = try FHIRIdentifier.read(identifier) }
        let type = try bundle.requiredString("type")
        guard type == "message" else { throw MedComParseError(path: bundle.path("type"), problem: .unknownCode(type, allowed: ["message"])) }
        bundleID = try bundle.id("id", required: true) ?? ""
        timestamp = try bundle.requiredDateTime("timestamp")
        let entries = try BundleEntries(bundle.requiredObjects("entry"))
        header = try MedComMessageHeader.read(entries.resource(at: 0))
        for index in entries.indices(of: "MessageHeader").dropFirst() {
            throw MedComParseError(path: entries.resource(at: index).path, problem: .notAllowed("a message has one MessageHeader"))
        }
        var organizations: [Int: MedComOrganization] = [:]
        for index in entries.indices(of: "Organization") { organizations[index] = try MedComOrganization.read(entries.resource(at: index)) }
        self.organizations = organizations.keys.sorted().compactMap { organizations[$0] }
        var provenances: [MedComProvenance] = []
        for index in entries.indices(of: "Provenance") { provenances.append(try MedComProvenance.read(entries.resource(at: index))) }
        self.provenances = provenances
        func organization(_ reference: FHIRReference) throws(MedComParseError) -> MedComOrganization {
            guard let found = organizations[try entries.resolve(reference, expecting: "Organization")] else {
                throw MedComParseError(path: reference.path, problem: .unresolvedReference(reference.reference ?? ""))
            }
            return found
        }
        sender = try organization(header.sender)
        receiver = try organization(header.receiver)
        currentProvenance = try Self.current(of: provenances, header: header, entries: entries)
        switch header.event {
        case .hospitalNotification:
            for index in entries.indices(of: "OperationOutcome") {
                throw MedComParseError(
                    path: entries.resource(at: index).path, problem: .notAllowed("a HospitalNotification carries no OperationOutcome"))
            }
            let patientIndices = entries.indices(of: "Patient")
            let encounterIndices = entries.indices(of: "Encounter")
            guard let patientIndex = patientIndices.first else {
                throw MedComParseError(path: "Bundle.entry", problem: .missingResource("no Patient"))
            }
            guard patientIndices.count == 1 else {
                throw MedComParseError(
                    path: entries.resource(at: patientIndices[1]).path, problem: .notAllowed("a HospitalNotification has one Patient"))
            }
            guard let encounterIndex = encounterIndices.first else {
                throw MedComParseError(path: "Bundle.entry", problem: .missingResource("no Encounter"))
            }
            guard encounterIndices.count == 1 else {
                throw MedComParseError(
                    path: entries.resource(at: encounterIndices[1]).path, problem: .notAllowed("a HospitalNotification has one Encounter"))
            }
            let patient = try MedComPatient.read(entries.resource(at: patientIndex))
            let encounter = try MedComEncounter.read(entries.resource(at: encounterIndex))
            _ = try entries.resolve(header.focus[0], expecting: "Encounter")
            _ = try entries.resolve(encounter.subject, expecting: "Patient")
            self.patient = patient
            self.encounter = encounter
            serviceProvider = try organization(encounter.serviceProvider)
            operationOutcome = nil
        case .acknowledgement:
            for index in entries.indices(of: "Patient") + entries.indices(of: "Encounter") {
                throw MedComParseError(path: entries.resource(at: index).path, problem: .notAllowed("an acknowledgement carries no patient data"))
            }
            let outcomes = entries.indices(of: "OperationOutcome")
            guard outcomes.count <= 1 else {
                throw MedComParseError(
                    path: entries.resource(at: outcomes[1]).path, problem: .notAllowed("an acknowledgement has at most one OperationOutcome"))
            }
            operationOutcome = try outcomes.first.map { (index) throws(MedComParseError) in
                try MedComOperationOutcome.read(entries.resource(at: index))
            }
            if let details = header.response?.details { _ = try entries.resolve(details, expecting: "OperationOutcome") }
            patient = nil
            encounter = nil
            serviceProvider = nil
        }
    }

    private static func current(
        of provenances: [MedComProvenance], header: MedComMessageHeader, entries: BundleEntries
    ) throws(MedComParseError) -> MedComProvenance {
        let current = provenances.filter { provenance in
            provenance.targets.contains { entries.index(of: $0) == 0 }
        }
        guard let first = current.first else {
            throw MedComParseError(path: "Bundle.entry", problem: .missingResource("no Provenance has the MessageHeader as its target"))
        }
        guard current.count == 1 else {
            throw MedComParseError(path: current[1].path + ".target", problem: .duplicate("a second Provenance targets the MessageHeader"))
        }
        return first
    }

    /// `medcom:<sender SOR>`: the `source` of the Indgang events this message becomes.
    public var eventSource: String { "medcom:\(sender.sor)" }
}
