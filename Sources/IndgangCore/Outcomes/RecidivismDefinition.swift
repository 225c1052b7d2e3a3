import Foundation

/// Recidivism (Kriminalforsorgen's definition, API.md Outcomes): every `prison.released` is an episode; it
/// counts as a re-offence when a `justice.convicted` with a sentence other than acquittal names an offence
/// date after the release and at most the window (default 730 days) after it. The offence date counts, not
/// the conviction date, so a conviction posted years later still counts, and an offence from before the
/// release never does. The same test drives the reentry-youth rule file's live `reoffence` flag: the offence
/// date is read from 00:00 Copenhagen time.
public struct RecidivismDefinition: Sendable, Equatable {
    public static let defaultWindowDays = 730
    public static let countingSentences: Set<String> = ["unconditional", "conditional", "fine"]

    public init() {}

    public func episodes(birthDate: CalendarDate, history unsorted: [CitizenEvent]) -> [OutcomeEpisode] {
        let history = unsorted.sorted(by: CitizenEvent.chronological)
        let offences = history.compactMap { event -> Date? in
            guard event.type == .justiceConvicted, let sentence = event.attributes["sentence"], Self.countingSentences.contains(sentence) else {
                return nil
            }
            return event.date("offence_date")?.start()
        }
        let diedAt = history.first { $0.type == .citizenDied }?.occurredAt
        return history.compactMap { release in
            guard release.type == .prisonReleased else { return nil }
            let reoffence = offences.filter { $0 > release.occurredAt }.min()
            return OutcomeEpisode(
                measure: .recidivism, eventID: release.id, at: release.occurredAt, actorSlug: release.attributes["actor"],
                actorKind: release.actorKind, municipalityCode: PathwayEngine.municipality(at: release, history: history),
                age: birthDate.age(on: CalendarDate(release.occurredAt)), outcomeAt: reoffence, diedAt: diedAt)
        }
    }
}
