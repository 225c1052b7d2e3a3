import IndgangCore

/// The Patient: the CPR number and whether the hospital reports the patient dead. Names and addresses are
/// read for their shape only and not kept.
public struct MedComPatient: Sendable, Equatable {
    public let id: String
    public let cpr: CPR
    /// `deceasedBoolean`, or true when `deceasedDateTime` is given.
    public let deceased: Bool
    public let path: String

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComPatient {
        let allowed: Set<String> = [
            "identifier", "name", "deceasedBoolean", "deceasedDateTime", "gender", "birthDate", "address", "telecom", "active",
            "managingOrganization",
        ]
        try resource.allowOnly(FHIRObject.resourceBasics.union(allowed), in: "Patient")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        for name in try resource.objects("name") ?? [] {
            try name.allowOnly(["use", "text", "family", "given", "prefix", "suffix", "period"], in: "HumanName")
            _ = try name.string("use")
            _ = try name.string("text")
            _ = try name.string("family")
            _ = try name.strings("given")
            _ = try name.strings("prefix")
            _ = try name.strings("suffix")
        }
        _ = try resource.string("gender")
        _ = try resource.string("birthDate")
        _ = try resource.bool("active")
        _ = try resource.objects("address")
        _ = try resource.objects("telecom")
        _ = try FHIRReference.read(resource, "managingOrganization")
        let identifiers = try resource.requiredObjects("identifier")
        guard identifiers.count == 1 else {
            throw MedComParseError(
                path: identifiers[1].path, problem: .notAllowed("a HospitalNotification Patient has exactly one identifier, the CPR number"))
        }
        let identifier = identifiers[0]
        _ = try FHIRIdentifier.read(identifier)
        let system = try identifier.requiredString("system")
        guard system == MedCom.System.cpr else {
            throw MedComParseError(path: identifier.path("system"), problem: .unknownCode(system, allowed: [MedCom.System.cpr]))
        }
        let value = try identifier.requiredString("value")
        let cpr: CPR
        do {
            cpr = try CPR(parsing: value)
        } catch {
            throw MedComParseError(path: identifier.path("value"), problem: .invalidValue("is not a CPR number: \(error.message)"))
        }
        let deceasedBoolean = try resource.bool("deceasedBoolean")
        let deceasedDateTime = try resource.string("deceasedDateTime")
        if deceasedBoolean != nil, deceasedDateTime != nil {
            throw MedComParseError(path: resource.path("deceasedDateTime"), problem: .notAllowed("deceased[x] is given twice"))
        }
        return MedComPatient(id: id, cpr: cpr, deceased: deceasedBoolean ?? (deceasedDateTime != nil), path: resource.path)
    }
}
