/// A FHIR Coding.
public struct FHIRCoding: Sendable, Equatable {
    public let system: String?
    public let code: String?

    static func read(_ object: FHIRObject) throws(MedComParseError) -> FHIRCoding {
        try object.allowOnly(["system", "version", "code", "display", "userSelected"], in: "Coding")
        _ = try object.string("version")
        _ = try object.string("display")
        _ = try object.bool("userSelected")
        return FHIRCoding(system: try object.string("system"), code: try object.string("code"))
    }

    /// A Coding whose system is fixed and whose code must be one of `allowed`.
    static func read(_ object: FHIRObject, system: String, codes allowed: [String]) throws(MedComParseError) -> String {
        let coding = try read(object)
        guard let actual = coding.system else { throw MedComParseError(path: object.path("system"), problem: .missing) }
        guard actual == system else { throw MedComParseError(path: object.path("system"), problem: .unknownCode(actual, allowed: [system])) }
        return try object.requiredCode("code", in: allowed)
    }
}
