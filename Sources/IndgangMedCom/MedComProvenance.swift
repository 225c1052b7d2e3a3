/// A Provenance: one step of the message history. The one whose `target` is this message's MessageHeader
/// carries the current activity; the others repeat earlier messages.
public struct MedComProvenance: Sendable, Equatable {
    public struct Entity: Sendable, Equatable {
        public static let roles = ["derivation", "revision", "quotation", "source", "removal"]
        /// `revision` (a correction, or simply the next message of the stay) or `removal` (a cancellation).
        public let role: String
        public let what: FHIRReference
    }

    public let id: String
    public let targets: [FHIRReference]
    public let occurred: FHIRDateTime
    public let recorded: FHIRDateTime
    /// The activity code (`admit-inpatient`, `revise-…`, `cancel-…`, `acknowledgement` …), from its system.
    public let activity: String
    /// Where the activity code stood, to name it in errors.
    public let activityPath: String
    public let agents: [FHIRReference]
    public let entities: [Entity]
    public let path: String

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComProvenance {
        let allowed: Set<String> = ["target", "occurredDateTime", "recorded", "activity", "agent", "entity"]
        try resource.allowOnly(FHIRObject.resourceBasics.union(allowed), in: "the MedCom messaging Provenance")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        var targets: [FHIRReference] = []
        for element in try resource.requiredObjects("target") { targets.append(try FHIRReference.read(element)) }
        let activityObject = try resource.requiredObject("activity")
        try activityObject.allowOnly(["coding", "text"], in: "CodeableConcept")
        _ = try activityObject.string("text")
        var activity: (code: String, path: String)?
        for coding in try activityObject.requiredObjects("coding") {
            let read = try FHIRCoding.read(coding)
            guard read.system == MedCom.System.activityCodes else { continue }
            guard activity == nil else { throw MedComParseError(path: coding.path, problem: .duplicate("a second MedCom activity code")) }
            activity = (try coding.requiredString("code"), coding.path("code"))
        }
        guard let activity else {
            throw MedComParseError(
                path: activityObject.path("coding"), problem: .missingElement("no coding from \(MedCom.System.activityCodes)"))
        }
        var agents: [FHIRReference] = []
        for agent in try resource.requiredObjects("agent") {
            try agent.allowOnly(["type", "role", "who"], in: "Provenance.agent")
            _ = try agent.object("type")
            _ = try agent.objects("role")
            agents.append(try FHIRReference.required(agent, "who"))
        }
        var entities: [Entity] = []
        for entity in try resource.objects("entity") ?? [] {
            try entity.allowOnly(["role", "what"], in: "Provenance.entity")
            entities.append(Entity(role: try entity.requiredCode("role", in: Entity.roles), what: try FHIRReference.required(entity, "what")))
        }
        return MedComProvenance(
            id: id, targets: targets, occurred: try resource.requiredDateTime("occurredDateTime"),
            recorded: try resource.requiredDateTime("recorded"),
            activity: activity.code, activityPath: activity.path, agents: agents, entities: entities, path: resource.path)
    }
}
