import Foundation
import IndgangCore

/// The outcome fact rows of one citizen (`outcome_episodes`), from the pure definitions.
enum OutcomeFacts {
    /// Event types that can add, remove or reclassify an episode; others leave the facts as they are.
    static func affected(by type: EventType) -> Bool {
        switch type {
        case .hospitalAdmitted, .hospitalDischarged, .prisonReleased, .justiceConvicted, .citizenMoved, .citizenDied: return true
        case .eventRetracted, .eventCorrected: return true
        case .prisonAdmitted, .prisonReleasePlanned, .serviceStarted, .serviceEnded, .hospitalLeaveStarted, .hospitalLeaveEnded: return false
        }
    }

    static func episodes(birthDate: CalendarDate, history: [CitizenEvent]) -> [OutcomeEpisode] {
        ReadmissionDefinition().episodes(birthDate: birthDate, history: history)
            + RecidivismDefinition().episodes(birthDate: birthDate, history: history)
    }
}
