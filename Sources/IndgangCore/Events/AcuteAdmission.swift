import Foundation

/// When an admission counts as an acute admission (API.md, "New event types"): `admission: acute` in the
/// `inpatient` setting (the default); an `acute_ambulant` stay — seen acutely, not admitted — only once an
/// inpatient admission follows in the same episode or the stay has lasted 12 hours (a discharge of the episode
/// at least 12 hours later), as in the national indicator, where an admission is a stay of at least 12 hours.
/// `admission: unknown` never counts. The rules engine and the readmission figure read history through
/// `effective(_:)`, so the live flag and the figure agree.
public enum AcuteAdmission {
    public static let ambulantHours: TimeInterval = 12

    /// The history as the rules read it: an acute ambulant admission that does not (yet) count as an admission
    /// reads as `admission: acute_ambulant_short`, which no rule or definition treats as acute.
    public static func effective(_ history: [CitizenEvent]) -> [CitizenEvent] {
        guard history.contains(where: { $0.type == .hospitalAdmitted && $0.attributes["setting"] == "acute_ambulant" }) else { return history }
        return history.map { event in
            guard event.type == .hospitalAdmitted, event.attributes["setting"] == "acute_ambulant", event.attributes["admission"] == "acute",
                !counts(event, in: history)
            else { return event }
            var attributes = event.attributes
            attributes["admission"] = "acute_ambulant_short"
            return CitizenEvent(
                id: event.id, source: event.source, externalID: event.externalID, type: event.type, occurredAt: event.occurredAt,
                attributes: attributes, actorKind: event.actorKind)
        }
    }

    /// Whether an acute ambulant admission has become an admission, given what the history holds.
    static func counts(_ admission: CitizenEvent, in history: [CitizenEvent]) -> Bool {
        let episode = admission.attributes["episode_id"]
        return history.contains { other in
            guard other.id != admission.id, other.attributes["episode_id"] == episode else { return false }
            switch other.type {
            case .hospitalAdmitted:
                return (other.attributes["setting"] ?? "inpatient") == "inpatient" && other.occurredAt >= admission.occurredAt
            case .hospitalDischarged:
                return other.occurredAt.timeIntervalSince(admission.occurredAt) >= ambulantHours * 3600
            default:
                return false
            }
        }
    }
}
