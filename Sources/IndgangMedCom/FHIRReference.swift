/// A FHIR Reference: a literal `reference` (`Type/id`, an absolute URL or `urn:uuid:…`) and/or a logical
/// `identifier`. `path` is where it stood, for errors about resolving it.
public struct FHIRReference: Sendable, Equatable {
    public let reference: String?
    public let identifier: FHIRIdentifier?
    public let path: String

    static func read(_ object: FHIRObject, requireLiteral: Bool = true) throws(MedComParseError) -> FHIRReference {
        try object.allowOnly(["reference", "type", "identifier", "display"], in: "Reference")
        let reference = try object.string("reference")
        _ = try object.string("type")
        _ = try object.string("display")
        var identifier: FHIRIdentifier?
        if let element = try object.object("identifier") { identifier = try FHIRIdentifier.read(element) }
        if requireLiteral, reference == nil { throw MedComParseError(path: object.path("reference"), problem: .missing) }
        return FHIRReference(reference: reference, identifier: identifier, path: object.path)
    }

    static func read(_ parent: FHIRObject, _ key: String) throws(MedComParseError) -> FHIRReference? {
        guard let object = try parent.object(key) else { return nil }
        return try read(object)
    }

    static func required(_ parent: FHIRObject, _ key: String) throws(MedComParseError) -> FHIRReference {
        try read(parent.requiredObject(key))
    }

    /// The id a `Type/<id>` reference names (also at the end of an absolute URL), when it names one of `type`.
    func id(ofType type: String) -> String? {
        guard let reference else { return nil }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == type, !parts[parts.count - 1].isEmpty else { return nil }
        return String(parts[parts.count - 1])
    }
}
