/// Who may say what happened (API.md, "Event authority"): an integration key speaks for its own actor, and
/// only about the event types granted to it — by default those its actor's kind is the system of record for.
public enum EventAuthority {
    /// The default grants by actor kind. Retractions and corrections are granted to every key, for its own events.
    public static func defaultGrants(for kind: ActorKind) -> Set<EventType> {
        let granted: Set<EventType>
        switch kind {
        case .hospital, .psychiatry:
            // A hospital reports the deaths it certifies.
            granted = [.hospitalAdmitted, .hospitalDischarged, .hospitalLeaveStarted, .hospitalLeaveEnded, .citizenDied]
        case .prison:
            granted = [.prisonAdmitted, .prisonReleasePlanned, .prisonReleased, .justiceConvicted]
        case .municipality:
            // The municipalities keep the civil register.
            granted = [.serviceStarted, .serviceEnded, .citizenMoved, .citizenDied]
        case .other:
            granted = []
        }
        return granted.union(alwaysGranted)
    }

    /// Granted to every integration key: an actor may always take back or correct what it said itself.
    public static let alwaysGranted: Set<EventType> = [.eventRetracted, .eventCorrected]

    /// Event types an admin can grant explicitly (`event_types` at key creation): all but the always-granted.
    public static var grantable: [EventType] { EventType.allCases.filter { !alwaysGranted.contains($0) } }

    /// Why `principal` may not post an event of `type` naming `eventActor` (`attributes.actor`), or nil when it may.
    /// A principal without an actor is an internal tool (the simulator's direct load) and speaks for everyone.
    public static func refusal(type: EventType, eventActor: String?, principal: Principal) -> FieldIssue? {
        guard let ownSlug = principal.actorSlug else { return nil }
        let granted = principal.eventGrants ?? principal.actorKind.map(defaultGrants) ?? alwaysGranted
        guard granted.contains(type) || alwaysGranted.contains(type) else {
            return FieldIssue(field: "type", message: "\(type.rawValue) is not granted to this key (it speaks for \(ownSlug))")
        }
        if let eventActor, eventActor != ownSlug {
            return FieldIssue(field: "attributes.actor", message: "must be this key's own actor, \(ownSlug)")
        }
        return nil
    }
}
