/// A FHIR Identifier: what the messages use is `system` and `value`.
public struct FHIRIdentifier: Sendable, Equatable {
    public let system: String?
    public let value: String?

    static func read(_ object: FHIRObject) throws(MedComParseError) -> FHIRIdentifier {
        try object.allowOnly(["use", "type", "system", "value", "period", "assigner"], in: "Identifier")
        _ = try object.string("use")
        _ = try object.object("type")
        _ = try object.object("period")
        _ = try object.object("assigner")
        return FHIRIdentifier(system: try object.string("system"), value: try object.string("value"))
    }
}
