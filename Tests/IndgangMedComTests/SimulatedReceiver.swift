import Foundation
import IndgangCore
import Testing

@testable import IndgangMedCom

/// The server's part, in memory: dedupe by sender and MessageHeader.id, the episode histories, and an event
/// store that applies retractions and corrections, so scenarios can check the end state.
struct SimulatedReceiver {
    struct Stored: Equatable {
        let type: EventType
        var occurredAt: Date
        var attributes: [String: String]
        var retracted = false
    }

    static let acknowledgedAt = Fixtures.time("2023-06-01T10:00:00Z")
    static let actor = "herlev-gentofte"

    var mayKeep: (CalendarDate, CalendarDate) -> Bool = Fixtures.keepAll
    private(set) var histories: [MedComEpisodeKey: [MedComEpisodeEntry]] = [:]
    private(set) var acknowledgements: [String: Data] = [:]
    private(set) var events: [String: Stored] = [:]
    private(set) var posted: [MedComEventDraft] = []

    /// The acknowledgement (nil for an acknowledgement received) and the outcome (nil when unreadable).
    @discardableResult
    mutating func receive(_ body: Data) -> (outcome: MedComOutcome?, acknowledgement: Data?) {
        let message: MedComMessage
        do {
            message = try MedComMessage(json: body)
        } catch {
            return (nil, MedComAcknowledgement.make(forUnreadable: body, issues: [error.issue], timestamp: Self.acknowledgedAt))
        }
        let letter = "\(message.sender.sor)|\(message.header.id)"
        if let earlier = acknowledgements[letter] { return (.ignored(.duplicate), earlier) }
        let key = MedComEpisodeKey(message)
        let outcome = MedComMapper.map(message, history: key.flatMap { histories[$0] } ?? [], mayKeep: mayKeep)
        guard let code = outcome.acknowledgementCode else { return (outcome, nil) }
        if case .accepted(let acceptance) = outcome {
            apply(acceptance.events)
            histories[acceptance.key, default: []].append(acceptance.entry)
        }
        let acknowledgement = MedComAcknowledgement.make(for: message, code: code, issues: outcome.issues, timestamp: Self.acknowledgedAt)
        // A transient error is answered afresh when the sender resends; anything else is final.
        if code != .transientError { acknowledgements[letter] = acknowledgement }
        return (outcome, acknowledgement)
    }

    private mutating func apply(_ drafts: [MedComEventDraft]) {
        for draft in drafts {
            posted.append(draft)
            var attributes = draft.attributes
            if draft.needsActor, draft.type != .eventCorrected { attributes["actor"] = Self.actor }
            if !draft.type.validate(attributes).isEmpty { Issue.record("\(draft.type.rawValue) \(draft.id): \(draft.type.validate(attributes))") }
            if var corrected = draft.correctedAttributes, let target = draft.target {
                corrected["actor"] = Self.actor
                if !target.type.validate(corrected).isEmpty { Issue.record("correction \(draft.id): \(target.type.validate(corrected))") }
            }
            switch draft.type {
            case .eventRetracted:
                if let target = draft.target { events["\(target.source)|\(target.id)"]?.retracted = true }
            case .eventCorrected:
                guard let target = draft.target, var event = events["\(target.source)|\(target.id)"] else { continue }
                if let time = draft.correctedOccurredAt { event.occurredAt = time }
                if let attributes = draft.correctedAttributes { event.attributes = attributes }
                events["\(target.source)|\(target.id)"] = event
            default:
                let key = "\(draft.source)|\(draft.id)"
                if events[key] == nil { events[key] = Stored(type: draft.type, occurredAt: draft.occurredAt, attributes: draft.attributes) }
            }
        }
    }

    /// The events in force, in `occurred_at` order (ties by id), as the rules engine would read them.
    var live: [(id: String, event: Stored)] {
        events.filter { !$0.value.retracted }.map { (id: $0.key, event: $0.value) }
            .sorted { ($0.event.occurredAt, $0.id) < ($1.event.occurredAt, $1.id) }
    }

    /// The end state without ids: what the pathways see.
    var facts: [String] {
        live.map {
            "\($0.event.type.rawValue)@\(RFC3339.format($0.event.occurredAt)) \($0.event.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
        }
    }
}
