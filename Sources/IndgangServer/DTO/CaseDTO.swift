import Foundation
import Hummingbird
import IndgangStore

struct CaseDTO: ResponseEncodable {
    let id: String
    let citizen_id: String
    let pathway: String
    /// The local variant the case's rules run under (null: the base pathway), and its version.
    let pathway_variant: Nullable<String>
    let pathway_version: Nullable<Int>
    let status: String
    let responsible_actor: String
    let pending_handoff: HandoffDTO?
    let opened_at: Date
    let closed_at: Date?
    let outcome: String?
    let summary: String
    let external_ref: String?
    let version: Int
    let flags: [String]

    init(_ record: CaseRecord) {
        id = record.id.wire
        citizen_id = record.citizenID.wire
        pathway = record.pathway
        pathway_variant = Nullable(record.variant?.id)
        pathway_version = Nullable(record.variant?.version)
        status = record.status.rawValue
        responsible_actor = record.responsibleActor
        pending_handoff = record.pendingHandoff.map(HandoffDTO.init)
        opened_at = record.openedAt
        closed_at = record.closedAt
        outcome = record.closeOutcome?.rawValue
        summary = record.summary
        external_ref = record.externalRef
        version = record.version
        flags = record.flags
    }

    /// The strong validator clients send back in `If-Match`.
    var etag: String { "\"\(version)\"" }
}
