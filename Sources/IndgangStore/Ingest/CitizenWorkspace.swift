import Foundation
import IndgangCore
import Logging
import PostgresNIO

/// What an ingest session knows about one citizen while it applies rules in memory: the ordered history,
/// the cases with their open handoff, and the recorded effect slots it has looked at.
struct CitizenWorkspace {
    struct Case {
        let id: UUID
        let pathway: String
        var isOpen: Bool
        let responsible: UUID
        var flags: [String]
        var openHandoff: (id: UUID, to: UUID)?
        var hadAcceptedHandoff = false

        /// The case as the warm-handoff rules see it: a rule's effect is decided by the same `CaseState` as a
        /// caseworker's command (on behalf of the responsible actor).
        var state: CaseState {
            CaseState(
                status: isOpen ? .open : .closed, responsible: responsible,
                openHandoff: openHandoff.map { HandoffState(id: $0.id, from: responsible, to: $0.to, status: .pending) })
        }
    }

    let id: UUID
    /// Created in this session: nothing about it can be stored yet.
    let isNew: Bool
    /// The events as stored, their amendments and posting actors; `history` is what the rules read of them.
    var stored = StoredHistory()
    var history: [CitizenEvent] = []
    /// Known once one of the citizen's events is in the session (from its CPR).
    var birthDate: CalendarDate?
    /// A new event may change the citizen's outcome facts (`OutcomeFacts.affected`).
    var outcomesChanged = false
    var cases: [Case] = []
    /// Applied effect slots (value and the handoff made), read from `applied_effects` or written this session.
    var records: [String: Record] = [:]
    /// Slots undone in this session: their `applied_effects` rows are deleted at flush and must not be read back.
    var forgotten: Set<String> = []
    /// Cases a retracted close left closed, and the open cases that continue them (this session).
    var continued: [UUID: UUID] = [:]
    /// Retractions made in this session, by retracted event: a second one is answered with the first's result.
    var retractions: [UUID: IngestResult] = [:]

    /// An applied effect slot as recorded.
    struct Record {
        let value: String
        let caseID: UUID?
        let handoffID: UUID?
        let outcome: EffectStatus

        /// The effect changed something, so taking back its event may have something to undo.
        var changedSomething: Bool { outcome == .applied || outcome == .escalated }
    }

    init(id: UUID, isNew: Bool) {
        self.id = id
        self.isNew = isNew
    }

    /// Where the citizen lives by the latest `citizen.moved` ("" when none is left: a retracted move).
    var currentMunicipality: String {
        history.filter { $0.type == .citizenMoved }.max(by: CitizenEvent.chronological)?.attributes["municipality_code"] ?? ""
    }

    func openCase(_ pathway: String) -> Int? {
        cases.firstIndex { $0.pathway == pathway && $0.isOpen }
    }

    /// The most recent case on the pathway (ids are UUIDv7, so the largest is the newest).
    func latestCase(_ pathway: String) -> Int? {
        cases.indices.filter { cases[$0].pathway == pathway }.max { cases[$0].id < cases[$1].id }
    }

    /// Reads the recorded slots among `slots` that this session has not seen yet (effects of earlier events).
    mutating func loadRecords(for slots: [String], on connection: PostgresConnection, logger: Logger) async throws {
        let missing = slots.filter { records[$0] == nil && !forgotten.contains($0) }
        guard !isNew, !missing.isEmpty else { return }
        let rows = try await connection.query(
            "SELECT slot, value, case_id, handoff_id, outcome FROM applied_effects WHERE citizen_id = \(id) AND slot = ANY(\(missing)::text[])",
            logger: logger)
        for try await (slot, value, caseID, handoffID, outcome) in rows.decode((String, String, UUID?, UUID?, String).self) {
            records[slot] = Record(value: value, caseID: caseID, handoffID: handoffID, outcome: try EffectStatus(decoding: outcome))
        }
    }
}
