import Foundation

/// The part of a case that the warm-handoff rules act on. Pure: the store loads it under a row lock,
/// asks these rules what a command does, and writes the outcome; the database re-checks the invariants.
///
/// Invariants (also enforced by constraints and triggers in PostgreSQL):
/// - an open case has exactly one responsible actor;
/// - responsibility moves only when the receiver accepts, and only to the receiver;
/// - at most one open (pending or overdue) handoff per case; a closed case has none.
public struct CaseState: Sendable, Equatable {
    public var status: CaseStatus
    public var responsible: UUID
    public var openHandoff: HandoffState?

    public init(status: CaseStatus = .open, responsible: UUID, openHandoff: HandoffState? = nil) {
        self.status = status
        self.responsible = responsible
        self.openHandoff = openHandoff
    }

    /// Validates a handoff request by `actor` to `receiver`; on success the case has a new pending handoff.
    public mutating func requestHandoff(id: UUID, by actor: UUID, to receiver: UUID) throws(IndgangError) {
        guard status == .open else { throw .conflict("the case is closed") }
        guard actor == responsible else { throw .forbidden("only the responsible actor may hand the case off") }
        guard receiver != actor else { throw .invalid(field: "to_actor", "a case cannot be handed off to its own responsible actor") }
        if let existing = openHandoff {
            throw .conflict("the case already has a \(existing.status.rawValue) handoff (\(existing.id.lowercasedString))")
        }
        openHandoff = HandoffState(id: id, from: actor, to: receiver, status: .pending)
    }

    /// Applies `action` by `actor` to `handoff`. Returns `false` when it is an idempotent repeat of the
    /// action that already decided the handoff (nothing to write), `true` when the state changed.
    @discardableResult
    public mutating func decide(_ action: HandoffAction, on handoff: HandoffState, by actor: UUID) throws(IndgangError) -> Bool {
        switch action {
        case .accept, .reject:
            guard actor == handoff.to else { throw .forbidden("only the receiving actor may \(action.rawValue) this handoff") }
        case .cancel:
            guard actor == handoff.from else { throw .forbidden("only the sending actor may cancel this handoff") }
        }
        guard handoff.status.isOpen else {
            if handoff.status == action.resultingStatus { return false }
            throw .conflict("the handoff is already \(handoff.status.rawValue)")
        }
        guard openHandoff?.id == handoff.id else { throw .conflict("the handoff is not the case's open handoff") }
        if action == .accept {
            responsible = handoff.to
        }
        openHandoff = nil
        return true
    }

    /// Closes the case; only the responsible actor may. Returns the open handoff that closing cancels.
    public mutating func close(by actor: UUID) throws(IndgangError) -> HandoffState? {
        guard status == .open else { throw .conflict("the case is already closed") }
        guard actor == responsible else { throw .forbidden("only the responsible actor may close the case") }
        let cancelled = openHandoff
        openHandoff = nil
        status = .closed
        return cancelled
    }
}

public struct HandoffState: Sendable, Equatable {
    public let id: UUID
    public let from: UUID
    public let to: UUID
    public var status: HandoffStatus

    public init(id: UUID, from: UUID, to: UUID, status: HandoffStatus) {
        self.id = id
        self.from = from
        self.to = to
        self.status = status
    }
}
