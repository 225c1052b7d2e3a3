import Foundation
import IndgangCore

/// Cases and citizens. Every method reads or writes personal data and audits it in the same transaction;
/// cases the caller's actor may not see are reported as `IndgangError.notFound`.
public protocol CaseRepository: Sendable {
    func open(_ command: OpenCaseCommand, access: AccessContext) async throws -> CaseRecord
    func get(id: UUID, access: AccessContext) async throws -> CaseRecord
    func list(_ query: CaseListQuery, access: AccessContext) async throws -> Page<CaseRecord>
    func updateSummary(id: UUID, summary: String, expectedVersion: Int?, access: AccessContext) async throws -> CaseRecord
    func close(id: UUID, outcome: CloseOutcome, note: String?, access: AccessContext) async throws -> CaseRecord
    func timeline(caseID: UUID, cursor: Int64?, limit: Int, access: AccessContext) async throws -> Page<TimelineEntry>
    /// The citizen's CPR behind a case the caller may see, audited as `citizen.reveal`.
    func revealCitizen(caseID: UUID, access: AccessContext) async throws -> (citizenID: UUID, cpr: CPR)
    /// A note on the case's timeline (responsible actor only).
    func addNote(caseID: UUID, text: String, access: AccessContext) async throws -> TimelineEntry
    /// The citizen and the cases of theirs the caller sees; nil when there are none (the search is audited either way).
    func searchCitizen(cpr: CPR, access: AccessContext) async throws -> (citizenID: UUID, cases: [CaseRecord])?
}
