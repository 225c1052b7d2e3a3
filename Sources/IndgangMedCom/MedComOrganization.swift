/// An Organization of the message (sender, receiver, service provider), known by its SOR code and, usually,
/// its EAN/GLN location number.
public struct MedComOrganization: Sendable, Equatable {
    public let id: String
    /// The SOR code (`urn:oid:1.2.208.176.1.1`): required.
    public let sor: String
    /// The EAN/GLN (`https://www.gs1.org/gln`, or `urn:oid:1.3.88` as the old OIOXML mapping cited it).
    public let gln: String?
    public let name: String?
    /// The system the GLN came with, so that a copy says it the same way.
    let glnSystem: String?
    public let path: String

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComOrganization {
        try resource.allowOnly(FHIRObject.resourceBasics.union(["identifier", "name", "active", "alias", "telecom", "address"]), in: "Organization")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        _ = try resource.bool("active")
        _ = try resource.strings("alias")
        _ = try resource.objects("telecom")
        _ = try resource.objects("address")
        var sor: String?
        var gln: (value: String, system: String)?
        for element in try resource.requiredObjects("identifier") {
            let identifier = try FHIRIdentifier.read(element)
            switch identifier.system {
            case MedCom.System.sor:
                guard sor == nil else { throw MedComParseError(path: element.path, problem: .duplicate("a second SOR identifier")) }
                let value = try element.requiredString("value")
                guard value.count <= 30, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw MedComParseError(path: element.path("value"), problem: .invalidValue("a SOR code is 1–30 digits"))
                }
                sor = value
            case MedCom.System.gln, MedCom.System.glnOID:
                guard gln == nil else { throw MedComParseError(path: element.path, problem: .duplicate("a second EAN/GLN identifier")) }
                let value = try element.requiredString("value")
                guard value.count == 13, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw MedComParseError(path: element.path("value"), problem: .invalidValue("an EAN/GLN is 13 digits"))
                }
                gln = (value, identifier.system ?? MedCom.System.gln)
            case nil:
                throw MedComParseError(path: element.path("system"), problem: .missing)
            default:
                // Further identifiers (a CVR number, a local id) are standard FHIR and harmless.
                continue
            }
        }
        guard let sor else {
            throw MedComParseError(
                path: resource.path("identifier"), problem: .missingElement("an Organization needs a SOR identifier (\(MedCom.System.sor))"))
        }
        return MedComOrganization(
            id: id, sor: sor, gln: gln?.value, name: try resource.string("name"), glnSystem: gln?.system, path: resource.path)
    }
}
