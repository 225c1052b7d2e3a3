/// Whether an event about a citizen may be kept at all (API.md, MedCom: data minimisation). MedCom sends every
/// patient with a Danish address; Indgang keeps only those who, by age on the event's date, can be on one of its
/// pathways or in one of its figures for hospital stays (the 30-day readmissions of the elderly).
public struct DataMinimisation: Sendable {
    public let pathways: [PathwayDefinition]

    /// The youngest age the readmission figure of the elderly counts.
    public static let readmissionMinimumAge = 65

    public init(pathways: [PathwayDefinition]) {
        self.pathways = pathways
    }

    /// - Parameter actorKind: the kind of the organisation reporting (a pathway may admit only some kinds).
    public func mayKeep(birthDate: CalendarDate, on day: CalendarDate, actorKind: ActorKind?) -> Bool {
        birthDate.age(on: day) >= Self.readmissionMinimumAge
            || pathways.contains { $0.eligibility.admits(birthDate: birthDate, on: day, actorKind: actorKind) }
    }
}
