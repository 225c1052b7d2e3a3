import Foundation
import IndgangCore

/// What the server keeps of one accepted message, per episode, and hands back (in arrival order) with the
/// next message of the same episode. It holds no CPR number, name or free text: only ids, codes, times and
/// the department's SOR code. Times are kept as the sender wrote them, so a stored entry replays exactly.
public struct MedComEpisodeEntry: Sendable, Equatable, Codable {
    public enum Relation: String, Sendable, Codable {
        /// A message that reports something (STAA, STIN, STOR, SLOR, SLHJ, MORS): its events are its own.
        case origin
        /// RE_xx or RE_MORS: replaces the times and department of `relatedMessageID`'s events.
        case revision
        /// AN_xx: retracts every event of `relatedMessageID`.
        case cancellation
        /// AN_MORS: retracts the death (the discharge `died` and `citizen.died`) of `relatedMessageID`.
        case deathCancellation
    }

    /// The MessageHeader.id.
    public let messageID: String
    /// `STIN`, `RE_MORS`, `AN_STIN` … as decided with the history.
    public let code: String
    public let event: MedComEventCode
    /// The current activity without prefix (for MORS, the stay's activity when the patient died).
    public let activity: MedComActivity
    public let relation: Relation
    /// For revisions and cancellations: the MessageHeader.id of the origin message they concern.
    public let relatedMessageID: String?
    /// A MORS that is the stay's first message (no earlier message named): its admission is reported too.
    public let deadOnArrival: Bool
    /// The current Provenance's `occurredDateTime`: orders corrections, and dates retractions and corrections.
    public let sentAt: String
    public let periodStart: String
    public let periodEnd: String?
    public let leaveStart: String?
    public let leaveEnd: String?
    /// The SOR code of `Encounter.serviceProvider`.
    public let department: String?

    public init(
        messageID: String, code: String, event: MedComEventCode, activity: MedComActivity, relation: Relation, relatedMessageID: String?,
        deadOnArrival: Bool, sentAt: String, periodStart: String, periodEnd: String?, leaveStart: String?, leaveEnd: String?, department: String?
    ) {
        self.messageID = messageID
        self.code = code
        self.event = event
        self.activity = activity
        self.relation = relation
        self.relatedMessageID = relatedMessageID
        self.deadOnArrival = deadOnArrival
        self.sentAt = sentAt
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.leaveStart = leaveStart
        self.leaveEnd = leaveEnd
        self.department = department
    }

    /// The time the event of this message happened (period start, leave start or end, period end).
    var eventTime: Date? {
        switch event {
        case .STAA, .STIN: return Self.date(periodStart)
        case .STOR: return Self.date(leaveStart)
        case .SLOR: return Self.date(leaveEnd)
        case .SLHJ, .MORS: return Self.date(periodEnd)
        }
    }

    static func date(_ text: String?) -> Date? { text.flatMap(RFC3339.parse) }
}
