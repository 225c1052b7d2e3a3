import IndgangCore

struct AuditRow: Sendable {
    let atText: String
    let atISO: String
    let actor: String
    let roleLabel: String
    let actionLabel: String
    let purpose: String
    let caseRef: String

    init(_ record: AuditRecord) {
        atText = DanishFormat.dateTime(record.at)
        atISO = DanishFormat.machine(record.at)
        actor = record.actor ?? "–"
        roleLabel = Role(rawValue: record.role).map(DanishLabels.role) ?? record.role
        actionLabel = DanishLabels.auditAction(record.action)
        purpose = record.purpose
        caseRef = record.caseID ?? "–"
    }
}
