struct KeyRow: Sendable {
    let actor: String
    let roleLabel: String
    let keyLabel: String
    let createdText: String
    let lastUsedText: String
    let revokeForm: FormModel

    init(_ key: AdminKey) {
        actor = key.actor
        roleLabel = DanishLabels.role(key.role)
        keyLabel = key.label ?? "–"
        createdText = DanishFormat.dateTime(key.createdAt)
        lastUsedText = key.lastUsedAt.map(DanishFormat.dateTime) ?? "Aldrig brugt"
        revokeForm = FormModel(
            id: "revoke-" + key.id, action: "/console/admin/keys/\(ConsolePath.segment(key.id))/revoke", submit: "Tilbagekald",
            style: .danger, submitContext: "nøglen \(key.label ?? "") for \(key.actor) (\(roleLabel))")
    }
}
