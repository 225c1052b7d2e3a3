import Foundation
import IndgangCore

/// What an outcome figure counts over: one measure's episodes dated `from`…`to` (Danish calendar days),
/// narrowed to an eligible population and optionally to an actor or municipality, split by one dimension.
public struct OutcomeQuery: Sendable {
    public enum Split: Sendable, Equatable {
        case none
        /// `YYYY-MM` of the index date.
        case month
        /// The municipality code where the citizen lived at the index.
        case municipality
        /// The discharging hospital or releasing prison (slug).
        case actor
        /// `AgeBand` at the index.
        case ageBand
        /// `before` / `from` the given date.
        case period(CalendarDate)
        /// The local variant in force for the episode's municipality on its date (else the base).
        case variant(VariantSegments)
    }

    public var measure: OutcomeMeasure
    public var from: CalendarDate
    public var to: CalendarDate
    public var windowDays: Int
    /// The moment follow-up is measured up to (the request's time).
    public var asOf: Date
    public var minimumAge = 0
    /// Nil: no upper limit.
    public var maximumAge: Int?
    /// Empty: every kind.
    public var actorKinds: [ActorKind] = []
    public var actor: UUID?
    public var municipality: String?
    public var split: Split = .none

    /// Whether the pre-aggregated counts can answer the complete days: the standard window and whole age bands.
    /// Otherwise every episode of the period is classified from the facts — exact, and much dearer.
    public var readsCounts: Bool {
        let standardDays = measure == .readmission ? ReadmissionDefinition().windowDays : RecidivismDefinition.defaultWindowDays
        return windowDays == standardDays && AgeBand.covering(minimum: minimumAge, maximum: maximumAge) != nil
    }

    public init(measure: OutcomeMeasure, from: CalendarDate, to: CalendarDate, windowDays: Int, asOf: Date) {
        self.measure = measure
        self.from = from
        self.to = to
        self.windowDays = windowDays
        self.asOf = asOf
    }
}

/// Where and when each local variant ran, for figures by variant: a row's group is the key of the segment that
/// holds its municipality and date, else `baseKey`.
public struct VariantSegments: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public let pathway: String
        public let municipality: String
        public let from: CalendarDate
        /// Exclusive; nil: open-ended.
        public let until: CalendarDate?
        public let key: String

        public init(pathway: String, municipality: String, from: CalendarDate, until: CalendarDate?, key: String) {
            self.pathway = pathway
            self.municipality = municipality
            self.from = from
            self.until = until
            self.key = key
        }
    }

    public let baseKey: String
    public let segments: [Segment]

    public init(baseKey: String, segments: [Segment]) {
        self.baseKey = baseKey
        self.segments = segments
    }

    /// The days on which a row's group can change.
    var boundaries: [CalendarDate] { segments.flatMap { [$0.from] + ($0.until.map { [$0] } ?? []) } }
}

/// Raw counts of one group, before suppression: `censored` episodes are in neither count.
public struct OutcomeCounts: Sendable, Equatable {
    public let key: String
    public let numerator: Int
    public let denominator: Int
    public let censored: Int

    public init(key: String, numerator: Int, denominator: Int, censored: Int) {
        self.key = key
        self.numerator = numerator
        self.denominator = denominator
        self.censored = censored
    }
}

/// Handoffs requested `from`…`to`, per pathway and actor pair, optionally split further.
public struct HandoffOutcomeQuery: Sendable {
    public var from: CalendarDate
    public var to: CalendarDate
    public var pathway: String?
    /// Handoffs this actor sent or received.
    public var actor: UUID?
    /// Handoffs a municipality with this code took part in.
    public var municipality: String?
    /// `.actor` adds nothing (groups are actor pairs already); `.period` is not offered.
    public var split: OutcomeQuery.Split = .none

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }
}

public struct HandoffCounts: Sendable, Equatable {
    public let key: String
    public let pathway: String
    public let fromActor: String
    public let toActor: String
    public let requested: Int
    public let accepted: Int
    public let rejected: Int
    /// Marked overdue at some point, whatever happened after.
    public let overdue: Int
    public let medianSecondsToAccept: Double?
    public let p90SecondsToAccept: Double?
    /// Accepted by their `due_at` (handoffs_accepted_in_time's numerator; the denominator is `requested`).
    public let acceptedInTime: Int
    /// The same times in working time: only the seconds that fall on Danish working days.
    public let medianWorkingSecondsToAccept: Double?
    public let p90WorkingSecondsToAccept: Double?

    public init(
        key: String, pathway: String, fromActor: String, toActor: String, requested: Int, accepted: Int, rejected: Int, overdue: Int,
        medianSecondsToAccept: Double?, p90SecondsToAccept: Double?, acceptedInTime: Int = 0, medianWorkingSecondsToAccept: Double? = nil,
        p90WorkingSecondsToAccept: Double? = nil
    ) {
        self.acceptedInTime = acceptedInTime
        self.medianWorkingSecondsToAccept = medianWorkingSecondsToAccept
        self.p90WorkingSecondsToAccept = p90WorkingSecondsToAccept
        self.key = key
        self.pathway = pathway
        self.fromActor = fromActor
        self.toActor = toActor
        self.requested = requested
        self.accepted = accepted
        self.rejected = rejected
        self.overdue = overdue
        self.medianSecondsToAccept = medianSecondsToAccept
        self.p90SecondsToAccept = p90SecondsToAccept
    }
}

/// Aggregates for coordinators; nothing it returns identifies a citizen.
public protocol OutcomeRepository: Sendable {
    func counts(_ query: OutcomeQuery) async throws -> [OutcomeCounts]
    func handoffCounts(_ query: HandoffOutcomeQuery) async throws -> [HandoffCounts]
    /// Recomputes every citizen's facts from the stored events (after a definition changes, or to fill the
    /// table for events stored before it existed); `progress` is told the citizens done so far.
    func rebuild(batchSize: Int, progress: @Sendable (Int) -> Void) async throws -> Int
    /// Folds the pre-aggregated delta rows; answers how many rows it folded.
    func compact() async throws -> Int
}
