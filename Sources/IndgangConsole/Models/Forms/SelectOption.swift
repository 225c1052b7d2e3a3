struct SelectOption: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

extension SelectOption: RenderFields {
    var renderFields: [String: Any] { ["value": value, "label": label, "selected": selected] }
}
