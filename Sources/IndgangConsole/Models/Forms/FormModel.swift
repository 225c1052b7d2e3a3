/// A form as `FormMarkup` renders it. POST forms carry the CSRF token; GET forms (filters) carry
/// nothing but their fields, and never personal data (it would end up in the URL).
struct FormModel: Sendable {
    let id: String
    let action: String
    let isPost: Bool
    let fields: [FormField]
    let hidden: [HiddenField]
    let submitLabel: String
    let buttonClass: String
    /// Words after the button's label for screen readers only ("Accepter" … "overdragelsen fra Hvidovre"),
    /// so that a row's buttons are told apart out of context.
    let hasError: Bool
    let hasSubmitContext: Bool
    let submitContext: String

    init(
        id: String, action: String, post: Bool = true, fields: [FormField] = [], hidden: [HiddenField] = [], submit: String,
        style: ButtonStyle = .primary, submitContext: String? = nil
    ) {
        self.id = id
        self.action = action
        isPost = post
        self.fields = fields
        hasError = fields.contains(where: \.hasError)
        self.hidden = hidden
        submitLabel = submit
        buttonClass = style.rawValue
        hasSubmitContext = submitContext != nil
        self.submitContext = submitContext ?? ""
    }

    enum ButtonStyle: String { case primary = "button-primary", secondary = "button-secondary", danger = "button-danger" }
}
