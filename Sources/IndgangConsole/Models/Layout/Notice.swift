/// The flash as the layout shows it: a status, or an alert that names (and links to) the refused field.
struct Notice: Sendable {
    let isAlert: Bool
    let message: String
    let hasField: Bool
    let fieldLabel: String
    let hasFieldLink: Bool
    let fieldID: String
}
