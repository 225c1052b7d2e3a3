import Foundation
import IndgangCore

/// Maps one HospitalNotification, given its episode's earlier entries, to Indgang events (API.md, "MedCom
/// HospitalNotification"). Pure: the same message and history always give the same outcome.
public enum MedComMapper {
    /// - Parameters:
    ///   - history: the episode's entries (`MedComEpisodeKey(message)`), in the order they were appended.
    ///   - mayKeep: the server's data-minimisation rule: may a citizen born on the first date be on a pathway
    ///     or in a figure on the second (the event's date in Copenhagen)?
    public static func map(
        _ message: MedComMessage, history: [MedComEpisodeEntry], mayKeep: (_ birthDate: CalendarDate, _ on: CalendarDate) -> Bool
    ) -> MedComOutcome {
        guard message.header.event == .hospitalNotification, let patient = message.patient, let encounter = message.encounter,
            let key = MedComEpisodeKey(message)
        else { return .ignored(.acknowledgement) }
        let notification: MedComNotification
        do {
            notification = try MedComNotification(message)
        } catch {
            return .rejected(error.issue)
        }
        if history.contains(where: { $0.messageID == message.header.id }) { return .ignored(.duplicate) }
        // An episode already on record is followed to its end (and its mistakes corrected) whatever the rule says
        // about one event's date; otherwise a stay crossing the boundary would be left open.
        func minimised(_ date: Date) -> Bool { history.isEmpty && !mayKeep(patient.cpr.birthDate, CalendarDate(date)) }

        var relation = MedComEpisodeEntry.Relation.origin
        var related: String?
        var code = notification.code
        var deadOnArrival = false
        switch notification.change {
        case .revision(let target), .cancellation(let target):
            guard let origin = origin(of: target, in: history) else {
                if minimised(encounter.period.start?.date ?? message.timestamp.date) { return .ignored(.minimised) }
                let path = notification.referencePath ?? message.currentProvenance.path
                return .notReceivedYet(
                    MedComIssue(
                        severity: .error, code: "not-found", detail: .fhir("MSG_NO_EXIST"),
                        text: "\(path): MessageHeader/\(target) has not been received; it must arrive before its \(notification.code)",
                        expression: path))
            }
            if let problem = mismatch(notification, origin: origin) { return .rejected(problem) }
            related = origin.messageID
            if case .revision = notification.change {
                relation = .revision
            } else {
                relation = notification.event == .MORS ? .deathCancellation : .cancellation
            }
        case .none:
            if notification.event == .MORS, let death = liveDeath(in: history) {
                // A death already on record for the stay: this corrects it (RE_MORS carries no revise- code).
                relation = .revision
                related = death.messageID
                code = "RE_MORS"
            } else if notification.event == .MORS {
                deadOnArrival = notification.previousMessageID == nil && !hasLiveAdmission(history)
            }
        }
        let entry = MedComEpisodeEntry(
            messageID: message.header.id, code: code, event: notification.event, activity: notification.activity, relation: relation,
            relatedMessageID: related, deadOnArrival: deadOnArrival, sentAt: message.currentProvenance.occurred.text,
            periodStart: encounter.period.start?.text ?? "", periodEnd: encounter.period.end?.text, leaveStart: encounter.leavePeriod?.start?.text,
            leaveEnd: encounter.leavePeriod?.end?.text, department: message.serviceProvider?.sor)
        let eventTime: Date
        if relation == .cancellation || relation == .deathCancellation {
            eventTime = encounter.period.start?.date ?? message.timestamp.date
        } else {
            guard let time = entry.eventTime else { return .rejected(missingTime(notification.event, encounter: encounter)) }
            eventTime = time
        }
        if minimised(eventTime) { return .ignored(.minimised) }

        let projection = EpisodeProjection(episodeID: key.episodeID, source: message.eventSource)
        let drafts = projection.drafts(
            from: projection.posted(history), to: projection.desired(history + [entry]), messageID: message.header.id,
            at: message.currentProvenance.occurred.date)
        return .accepted(MedComAcceptance(code: code, key: key, entry: entry, events: drafts, cpr: patient.cpr, senderSOR: message.sender.sor))
    }

    /// The origin message `messageID` concerns, following a revision to what it revised.
    static func origin(of messageID: String, in history: [MedComEpisodeEntry]) -> MedComEpisodeEntry? {
        var current = messageID
        for _ in 0...history.count {
            guard let entry = history.first(where: { $0.messageID == current }) else { return nil }
            guard entry.relation != .origin else { return entry }
            guard let next = entry.relatedMessageID else { return nil }
            current = next
        }
        return nil
    }

    /// A correction or cancellation must concern a message of its own kind (a MORS counts as its activity).
    private static func mismatch(_ notification: MedComNotification, origin: MedComEpisodeEntry) -> MedComIssue? {
        let matches =
            notification.event == .MORS
            ? origin.event == .MORS
            : origin.event == notification.event || (origin.event == .MORS && origin.activity.eventCode == notification.event)
        guard !matches else { return nil }
        let path = notification.referencePath ?? ""
        return MedComIssue(
            severity: .error, code: "business-rule",
            text: "\(path): a \(notification.code) cannot concern \(origin.code) message \(origin.messageID)", expression: path)
    }

    private static func cancelled(_ history: [MedComEpisodeEntry]) -> Set<String> {
        Set(history.filter { $0.relation == .cancellation || $0.relation == .deathCancellation }.compactMap(\.relatedMessageID))
    }

    private static func liveDeath(in history: [MedComEpisodeEntry]) -> MedComEpisodeEntry? {
        let cancelled = cancelled(history)
        return history.first { $0.relation == .origin && $0.event == .MORS && !cancelled.contains($0.messageID) }
    }

    private static func hasLiveAdmission(_ history: [MedComEpisodeEntry]) -> Bool {
        let cancelled = Set(history.filter { $0.relation == .cancellation }.compactMap(\.relatedMessageID))
        return history.contains {
            $0.relation == .origin && ($0.event == .STAA || $0.event == .STIN || $0.deadOnArrival) && !cancelled.contains($0.messageID)
        }
    }

    private static func missingTime(_ event: MedComEventCode, encounter: MedComEncounter) -> MedComIssue {
        let (path, what) =
            switch event {
            case .STOR: ("\(encounter.path).extension", "a start of leave needs the leave-period extension with a start")
            case .SLOR: ("\(encounter.path).extension", "an end of leave needs the leave-period extension with an end")
            default: ("\(encounter.path).period.end", "a discharge or death needs the end of the stay")
            }
        return MedComIssue(severity: .error, code: "required", detail: .fhir("MSG_BAD_FORMAT"), text: "\(path): \(what)", expression: path)
    }
}
