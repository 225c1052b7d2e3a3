import Foundation
import IndgangCore

/// The Indgang events an episode's messages call for, and the drafts that bring what was posted before up to
/// date. Both are recomputed from the stored entries, so the result does not depend on arrival order except
/// where MedCom itself makes it matter (which message a correction names).
struct EpisodeProjection {
    struct Event: Equatable {
        let id: String
        let type: EventType
        let occurredAt: Date
        let attributes: [String: String]
    }

    let episodeID: String
    let source: String

    /// The events `entries` call for: every origin not cancelled, with its latest revision's times and department.
    func desired(_ entries: [MedComEpisodeEntry]) -> [Event] {
        let indexed = Array(entries.enumerated())
        let cancelled = Set(entries.filter { $0.relation == .cancellation }.compactMap(\.relatedMessageID))
        let deathCancelled = Set(entries.filter { $0.relation == .deathCancellation }.compactMap(\.relatedMessageID))
        let revisions = Dictionary(grouping: indexed.filter { $0.element.relation == .revision }) { $0.element.relatedMessageID ?? "" }
        func effective(_ origin: (offset: Int, element: MedComEpisodeEntry)) -> MedComEpisodeEntry {
            // The latest by the sender's own clock wins, so a correction overtaken in transit does not.
            ([origin] + (revisions[origin.element.messageID] ?? [])).max { lhs, rhs in
                let (left, right) = (
                    MedComEpisodeEntry.date(lhs.element.sentAt) ?? .distantPast, MedComEpisodeEntry.date(rhs.element.sentAt) ?? .distantPast
                )
                return left != right ? left < right : lhs.offset < rhs.offset
            }?.element ?? origin.element
        }
        let origins = indexed.filter { $0.element.relation == .origin && !cancelled.contains($0.element.messageID) }
            .map { (origin: $0.element, data: effective($0)) }
        let acuteStarts = origins.filter { $0.origin.event == .STAA || ($0.origin.deadOnArrival && $0.origin.activity == .admitEmergency) }
            .compactMap { MedComEpisodeEntry.date($0.data.periodStart) }
        var events: [Event] = []
        for (origin, data) in origins {
            let id = origin.messageID
            switch origin.event {
            case .STAA, .STIN:
                if let event = admission(id: id, activity: origin.activity, data: data, acuteStarts: acuteStarts) { events.append(event) }
            case .STOR:
                if let at = MedComEpisodeEntry.date(data.leaveStart) {
                    events.append(Event(id: id, type: .hospitalLeaveStarted, occurredAt: at, attributes: stay))
                }
            case .SLOR:
                if let at = MedComEpisodeEntry.date(data.leaveEnd) {
                    events.append(Event(id: id, type: .hospitalLeaveEnded, occurredAt: at, attributes: stay))
                }
            case .SLHJ:
                if let at = MedComEpisodeEntry.date(data.periodEnd) {
                    events.append(
                        Event(id: id, type: .hospitalDischarged, occurredAt: at, attributes: stay.merging(["discharged_to": "home"]) { $1 }))
                }
            case .MORS:
                if origin.deadOnArrival, let event = admission(id: id, activity: origin.activity, data: data, acuteStarts: acuteStarts) {
                    events.append(event)
                }
                guard !deathCancelled.contains(id), let at = MedComEpisodeEntry.date(data.periodEnd) else { continue }
                // Equal times are read in id order: admission, then discharge, then death.
                let dischargeID = origin.deadOnArrival ? "\(id)#death-discharge" : id
                events.append(
                    Event(id: dischargeID, type: .hospitalDischarged, occurredAt: at, attributes: stay.merging(["discharged_to": "died"]) { $1 }))
                events.append(Event(id: "\(id)#died", type: .citizenDied, occurredAt: at, attributes: [:]))
            }
        }
        return events
    }

    private var stay: [String: String] { ["episode_id": episodeID] }

    private func admission(id: String, activity: MedComActivity, data: MedComEpisodeEntry, acuteStarts: [Date]) -> Event? {
        guard let start = MedComEpisodeEntry.date(data.periodStart) else { return nil }
        var attributes = stay
        if activity == .admitEmergency {
            attributes["admission"] = "acute"
            attributes["setting"] = "acute_ambulant"
        } else {
            // A STIN after a STAA in the same episode is an acute admission, whichever arrived first.
            attributes["admission"] = acuteStarts.contains { $0 <= start } ? "acute" : "unknown"
            attributes["setting"] = "inpatient"
        }
        if let department = data.department { attributes["department"] = department }
        return Event(id: id, type: .hospitalAdmitted, occurredAt: start, attributes: attributes)
    }

    /// What the history has posted so far: each prefix of it was brought up to date in turn.
    func posted(_ history: [MedComEpisodeEntry]) -> Posted {
        var posted = Posted()
        for end in history.indices { posted.apply(desired(Array(history[...end]))) }
        return posted
    }

    /// The drafts that take `posted` to `desired`: new events, then corrections, then retractions, the latter two
    /// enveloped under `messageID`.
    func drafts(from posted: Posted, to desired: [Event], messageID: String, at sentAt: Date) -> [MedComEventDraft] {
        var drafts: [MedComEventDraft] = []
        var corrections: [MedComEventDraft] = []
        for event in desired where !posted.retracted.contains(event.id) {
            guard let before = posted.live[event.id] else {
                drafts.append(
                    MedComEventDraft(type: event.type, source: source, id: event.id, occurredAt: event.occurredAt, attributes: event.attributes))
                continue
            }
            guard before != event else { continue }
            let newTime = before.occurredAt != event.occurredAt ? event.occurredAt : nil
            var attributes = ["source": source, "id": event.id]
            if let newTime { attributes["occurred_at"] = RFC3339.format(newTime) }
            corrections.append(
                MedComEventDraft(
                    type: .eventCorrected, source: source, id: "\(messageID)#correct:\(event.id)", occurredAt: sentAt, attributes: attributes,
                    target: .init(source: source, id: event.id, type: event.type), correctedOccurredAt: newTime,
                    correctedAttributes: before.attributes != event.attributes ? event.attributes : nil))
        }
        drafts += corrections
        let wanted = Set(desired.map(\.id))
        for id in posted.order where !wanted.contains(id) {
            guard let before = posted.live[id] else { continue }
            drafts.append(
                MedComEventDraft(
                    type: .eventRetracted, source: source, id: "\(messageID)#retract:\(id)", occurredAt: sentAt,
                    attributes: ["source": source, "id": id], target: .init(source: source, id: id, type: before.type)))
        }
        return drafts
    }

    /// The live events (as last posted or corrected) and those retracted, which are never posted again.
    struct Posted {
        var live: [String: Event] = [:]
        var order: [String] = []
        var retracted: Set<String> = []

        mutating func apply(_ desired: [Event]) {
            for event in desired where !retracted.contains(event.id) {
                if live[event.id] == nil { order.append(event.id) }
                live[event.id] = event
            }
            let wanted = Set(desired.map(\.id))
            for id in order where live[id] != nil && !wanted.contains(id) {
                live[id] = nil
                retracted.insert(id)
            }
        }
    }
}
