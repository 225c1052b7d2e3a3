/// A FHIR Period whose ends are full date-times.
public struct FHIRPeriod: Sendable, Equatable {
    public let start: FHIRDateTime?
    public let end: FHIRDateTime?

    static func read(_ object: FHIRObject) throws(MedComParseError) -> FHIRPeriod {
        try object.allowOnly(["start", "end"], in: "Period")
        let period = FHIRPeriod(start: try object.dateTime("start"), end: try object.dateTime("end"))
        if let start = period.start, let end = period.end, end.date < start.date {
            throw MedComParseError(path: object.path("end"), problem: .invalidValue("is before the start"))
        }
        return period
    }
}
