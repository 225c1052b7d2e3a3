/// The Encounter (the message's focus): the stay, its episode of care and its times. What happened is not
/// read from `status` (the official examples contradict the code table); it is kept for information only.
public struct MedComEncounter: Sendable, Equatable {
    public static let statuses = ["in-progress", "onleave", "finished", "entered-in-error"]
    public static let classes = ["IMP", "EMER"]

    public let id: String
    public let status: String
    /// `IMP` (admitted) or `EMER` (acute ambulant).
    public let classCode: String
    public let subject: FHIRReference
    /// `episodeOfCare[].identifier`, at least one; the first keys the episode.
    public let episodeOfCare: [FHIRIdentifier]
    public let period: FHIRPeriod
    /// The leave-period extension's period, on leave messages.
    public let leavePeriod: FHIRPeriod?
    public let serviceProvider: FHIRReference
    public let path: String

    /// Encounter elements the HospitalNotification profile sets to 0..0 (only a minimal data set is lawful).
    static let forbidden = ["type", "priority", "hospitalization", "diagnosis", "location", "participant"]

    static func read(_ resource: FHIRObject) throws(MedComParseError) -> MedComEncounter {
        let allowed: Set<String> = ["extension", "status", "class", "subject", "episodeOfCare", "period", "serviceProvider"]
        let reasons = Dictionary(uniqueKeysWithValues: forbidden.map { ($0, "is not allowed by the HospitalNotification Encounter profile (0..0)") })
        try resource.allowOnly(FHIRObject.resourceBasics.union(allowed), forbidden: reasons, in: "the HospitalNotification Encounter")
        try resource.checkResourceBasics()
        let id = try resource.id("id", required: true) ?? ""
        let status = try resource.requiredCode("status", in: statuses)
        let classCode = try FHIRCoding.read(resource.requiredObject("class"), system: MedCom.System.actCode, codes: classes)
        let subject = try FHIRReference.required(resource, "subject")
        var episodes: [FHIRIdentifier] = []
        for element in try resource.requiredObjects("episodeOfCare") {
            let reference = try FHIRReference.read(element, requireLiteral: false)
            let identifier = try element.requiredObject("identifier")
            _ = try identifier.requiredString("system")
            _ = try identifier.requiredString("value")
            guard let episode = reference.identifier else { throw MedComParseError(path: element.path("identifier"), problem: .missing) }
            episodes.append(episode)
        }
        let periodObject = try resource.requiredObject("period")
        let period = try FHIRPeriod.read(periodObject)
        guard period.start != nil else { throw MedComParseError(path: periodObject.path("start"), problem: .missing) }
        var leavePeriod: FHIRPeriod?
        for element in try resource.objects("extension") ?? [] {
            let url = try element.requiredString("url")
            guard url == MedCom.Extension.leavePeriod || url == MedCom.Extension.leavePeriodCorrected else {
                throw MedComParseError(
                    path: element.path("url"), problem: .notAllowed("the extension \(url) is not part of the HospitalNotification Encounter"))
            }
            try element.allowOnly(["url", "valuePeriod"], in: "the leave-period extension")
            guard leavePeriod == nil else { throw MedComParseError(path: element.path, problem: .duplicate("a second leave period")) }
            leavePeriod = try FHIRPeriod.read(element.requiredObject("valuePeriod"))
        }
        return MedComEncounter(
            id: id, status: status, classCode: classCode, subject: subject, episodeOfCare: episodes, period: period, leavePeriod: leavePeriod,
            serviceProvider: try FHIRReference.required(resource, "serviceProvider"), path: resource.path)
    }
}
