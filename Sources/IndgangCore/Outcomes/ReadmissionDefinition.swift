import Foundation

/// 30-day acute readmission (API.md, Outcomes): an index discharge is a discharge alive to home or a nursing
/// home that is not followed within `mergeHours` by another admission (stays that close are one stay, so
/// only the stay's last discharge can be an index); it counts as readmitted when an **acute** admission
/// follows more than `mergeHours` and at most `windowDays` days later. Discharges to another hospital and
/// in-hospital deaths are never index discharges. The window test is the same one the subacute-elderly
/// rule file uses for its live `readmission` flag.
public struct ReadmissionDefinition: Sendable, Equatable {
    public let windowDays: Int
    public let mergeHours: Double

    public init(windowDays: Int = 30, mergeHours: Double = 4) {
        self.windowDays = windowDays
        self.mergeHours = mergeHours
    }

    public static let indexDestinations: Set<String> = ["home", "nursing_home"]

    public func episodes(birthDate: CalendarDate, history unsorted: [CitizenEvent]) -> [OutcomeEpisode] {
        let history = AcuteAdmission.effective(unsorted.sorted(by: CitizenEvent.chronological))
        let admissions = history.filter { $0.type == .hospitalAdmitted }
        let diedAt = history.first { $0.type == .citizenDied }?.occurredAt
        return history.compactMap { discharge in
            guard discharge.type == .hospitalDischarged, let destination = discharge.attributes["discharged_to"],
                Self.indexDestinations.contains(destination)
            else { return nil }
            let later = admissions.map { (event: $0, gap: $0.occurredAt.timeIntervalSince(discharge.occurredAt)) }.filter { $0.gap >= 0 }
            guard !later.contains(where: { $0.gap <= mergeHours * 3600 }) else { return nil }
            let readmission = later.filter { $0.event.attributes["admission"] == "acute" }.min { $0.gap < $1.gap }
            return OutcomeEpisode(
                measure: .readmission, eventID: discharge.id, at: discharge.occurredAt, actorSlug: discharge.attributes["actor"],
                actorKind: discharge.actorKind, municipalityCode: PathwayEngine.municipality(at: discharge, history: history),
                age: birthDate.age(on: CalendarDate(discharge.occurredAt)), outcomeAt: readmission?.event.occurredAt, diedAt: diedAt)
        }
    }
}
