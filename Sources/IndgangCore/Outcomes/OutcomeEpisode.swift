import Foundation

/// The two outcome figures the pathways feed (a rule file's `outcome:`).
public enum OutcomeMeasure: String, Sendable, CaseIterable {
    case readmission
    case recidivism
}

/// One unit of an outcome's denominator: an index discharge (readmission) or a release (recidivism), with
/// what the figures need to classify it at any moment. Derived from a citizen's whole history by
/// `ReadmissionDefinition` / `RecidivismDefinition`, stored as a fact row, aggregated by the store.
public struct OutcomeEpisode: Sendable, Equatable {
    public let measure: OutcomeMeasure
    /// The index discharge or release event.
    public let eventID: UUID
    public let at: Date
    public let actorSlug: String?
    public let actorKind: ActorKind?
    /// Where the citizen lived at `at`.
    public let municipalityCode: String?
    /// Age in whole years on the Danish calendar date of `at`.
    public let age: Int
    /// The earliest event that counts against the episode, however late: the first acute admission more than
    /// the merge gap after the discharge, or the start of the first non-acquittal offence date after release.
    /// Whether it falls inside the window is decided by `status`.
    public let outcomeAt: Date?
    public let diedAt: Date?

    public init(
        measure: OutcomeMeasure, eventID: UUID, at: Date, actorSlug: String?, actorKind: ActorKind?, municipalityCode: String?, age: Int,
        outcomeAt: Date?, diedAt: Date?
    ) {
        self.measure = measure
        self.eventID = eventID
        self.at = at
        self.actorSlug = actorSlug
        self.actorKind = actorKind
        self.municipalityCode = municipalityCode
        self.age = age
        self.outcomeAt = outcomeAt
        self.diedAt = diedAt
    }

    public enum Status: Sendable, Equatable {
        /// In the denominator; `positive` puts it in the numerator too.
        case counted(positive: Bool)
        /// Less than the whole window of follow-up: its end is after `asOf`, or the citizen died in it first.
        case censored
    }

    /// The episode's place in a figure computed at `asOf` with a follow-up window of `windowDays` days.
    /// Incomplete follow-up excludes an episode whether or not the outcome already happened (counting early
    /// outcomes of recent episodes would bias the rate upwards); a death inside the window excludes it only
    /// when no outcome came first.
    public func status(windowDays: Int, asOf: Date) -> Status {
        let end = at.addingTimeInterval(TimeInterval(windowDays) * 86_400)
        guard end <= asOf else { return .censored }
        if let outcomeAt, outcomeAt.timeIntervalSince(at) <= TimeInterval(windowDays) * 86_400 { return .counted(positive: true) }
        if let diedAt, diedAt <= end { return .censored }
        return .counted(positive: false)
    }
}
