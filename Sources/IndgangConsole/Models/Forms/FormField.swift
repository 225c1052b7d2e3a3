/// One labelled control. Its `id` is `<form id>-<name>`, so ids stay unique when a page repeats a form (one
/// reject form per handoff); an error or hint is tied to the control with `aria-describedby` (`FormMarkup`).
struct FormField: Sendable {
    let id: String
    let name: String
    let label: String
    let isInput: Bool
    let isTextarea: Bool
    let isSelect: Bool
    let isCheckbox: Bool
    let type: String
    let value: String
    let options: [SelectOption]
    let checked: Bool
    let requiredField: Bool
    let autocomplete: String
    let inputMode: String
    let hasInputMode: Bool
    let hasHint: Bool
    let hint: String
    let hintID: String
    let hasError: Bool
    let error: String
    let errorID: String
    let hasDescribedBy: Bool
    let describedBy: String

    enum Kind { case input(type: String), textarea, select([SelectOption]), checkbox(Bool) }

    init(
        form: String, name: String, label: String, kind: Kind, value: String = "", hint: String? = nil, required: Bool = false,
        autocomplete: String = "off", inputMode: String? = nil, problem: FormProblem?
    ) {
        id = form + "-" + name.replacingOccurrences(of: "_", with: "-")
        self.name = name
        self.label = label
        self.value = value
        requiredField = required
        self.autocomplete = autocomplete
        self.inputMode = inputMode ?? ""
        hasInputMode = inputMode != nil
        switch kind {
        case .input(let type): (isInput, isTextarea, isSelect, isCheckbox, self.type, options, checked) = (true, false, false, false, type, [], false)
        case .textarea: (isInput, isTextarea, isSelect, isCheckbox, type, options, checked) = (false, true, false, false, "", [], false)
        case .select(let choices): (isInput, isTextarea, isSelect, isCheckbox, type, options, checked) = (false, false, true, false, "", choices, false)
        case .checkbox(let on): (isInput, isTextarea, isSelect, isCheckbox, type, options, checked) = (false, false, false, true, "checkbox", [], on)
        }
        hasHint = hint != nil
        self.hint = hint ?? ""
        hintID = id + "-hjaelp"
        let refusal = problem.flatMap { $0.applies(to: name, inForm: form) ? $0.message : nil }
        hasError = refusal != nil
        error = refusal ?? ""
        errorID = id + "-fejl"
        let described = (hasError ? [errorID] : []) + (hasHint ? [hintID] : [])
        hasDescribedBy = !described.isEmpty
        describedBy = described.joined(separator: " ")
    }

    static func text(
        form: String, name: String, label: String, value: String = "", type: String = "text", hint: String? = nil, required: Bool = false,
        autocomplete: String = "off", inputMode: String? = nil, problem: FormProblem?
    ) -> FormField {
        FormField(
            form: form, name: name, label: label, kind: .input(type: type), value: value, hint: hint, required: required,
            autocomplete: autocomplete, inputMode: inputMode, problem: problem)
    }

    static func textarea(
        form: String, name: String, label: String, value: String = "", hint: String? = nil, required: Bool = false, problem: FormProblem?
    ) -> FormField {
        FormField(form: form, name: name, label: label, kind: .textarea, value: value, hint: hint, required: required, problem: problem)
    }

    /// A `<select>`; `prompt` adds a first, empty option ("Vælg …", or "Alle" in a filter).
    static func select(
        form: String, name: String, label: String, choices: [Choice], selected: String?, prompt: String? = nil, hint: String? = nil,
        required: Bool = false, problem: FormProblem?
    ) -> FormField {
        let options = (prompt.map { [SelectOption(value: "", label: $0, selected: selected == nil || selected == "")] } ?? [])
            + choices.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == selected) }
        return FormField(form: form, name: name, label: label, kind: .select(options), hint: hint, required: required, problem: problem)
    }

    static func checkbox(form: String, name: String, label: String, checked: Bool) -> FormField {
        FormField(form: form, name: name, label: label, kind: .checkbox(checked), value: "1", problem: nil)
    }
}
