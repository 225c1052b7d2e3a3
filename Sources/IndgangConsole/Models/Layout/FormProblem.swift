/// A refused form field. `field` is the form field's name (`reason`, `to_actor`, `summary`, …); `form` is the
/// `id` of the form it belongs to when a page has several forms with that field (`reject-<handoff id>`,
/// `close`, `note`); without it the first form on the page with that field gets the message.
public struct FormProblem: Sendable, Equatable {
    public var field: String
    public var message: String
    public var form: String?

    public init(field: String, message: String, form: String? = nil) {
        self.field = field
        self.message = message
        self.form = form
    }

    /// With no `form` given, the first of `forms` (in page order) that has the field: one message, one place.
    func pinned(toFirstOf forms: [(id: String, fields: [String])]) -> FormProblem {
        guard form == nil, let first = forms.first(where: { $0.fields.contains(field) }) else { return self }
        return FormProblem(field: field, message: message, form: first.id)
    }

    func applies(to field: String, inForm form: String) -> Bool {
        self.field == field && (self.form == nil || self.form == form)
    }
}
