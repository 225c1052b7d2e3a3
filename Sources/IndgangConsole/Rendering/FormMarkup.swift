/// The markup of a form and its fields, built here rather than by a Mustache partial. Forms repeat in rows (an
/// accept and a reject form for each of an inbox page's 25 handoffs), and swift-mustache costs a few microseconds
/// per tag it looks up: the two partials' ~40 tags per row were half of the inbox page's server time at a million
/// citizens (4 ms of 8.7; the page saturated at 134 pages/s, 230 without the reject forms). Pages stay templates;
/// a form is one `{{{…}}}` in them, like the charts. Every text is escaped here with the templates' escaping.
enum FormMarkup {
    static func form(_ form: FormModel, csrfToken: String) -> Markup {
        let method = form.isPost ? "post" : "get"
        var html = "<form method=\"\(method)\" action=\"\(escape(form.action))\" id=\"\(escape(form.id))\" class=\"form\" novalidate>\n"
        if form.isPost { html += "<input type=\"hidden\" name=\"csrf_token\" value=\"\(escape(csrfToken))\">\n" }
        for hidden in form.hidden {
            html += "<input type=\"hidden\" name=\"\(escape(hidden.name))\" value=\"\(escape(hidden.value))\">\n"
        }
        for field in form.fields { html += self.field(field) }
        html += "<button type=\"submit\" class=\"button \(escape(form.buttonClass))\">\(escape(form.submitLabel))"
        if form.hasSubmitContext { html += "<span class=\"visually-hidden\"> \(escape(form.submitContext))</span>" }
        html += "</button>\n</form>\n"
        return Markup(html)
    }

    /// One labelled control: its hint and error tied to it with `aria-describedby`, the error announced as such.
    static func field(_ field: FormField) -> String {
        let id = escape(field.id)
        let name = escape(field.name)
        if field.isCheckbox {
            return "<div class=\"field field-checkbox\">\n<input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"\(escape(field.value))\""
                + (field.checked ? " checked" : "") + ">\n<label for=\"\(id)\">\(escape(field.label))</label>\n</div>\n"
        }
        var html = "<div class=\"field\(field.hasError ? " field-invalid" : "")\">\n<label for=\"\(id)\">\(escape(field.label))"
        if field.requiredField { html += " <span class=\"required\">(skal udfyldes)</span>" }
        html += "</label>\n"
        if field.hasHint { html += "<p class=\"hint\" id=\"\(escape(field.hintID))\">\(escape(field.hint))</p>\n" }
        if field.hasError {
            html += "<p class=\"field-error\" id=\"\(escape(field.errorID))\">"
            html += "<span class=\"visually-hidden\">Fejl: </span>\(escape(field.error))</p>\n"
        }
        var states = field.requiredField ? " aria-required=\"true\"" : ""
        if field.hasError { states += " aria-invalid=\"true\"" }
        if field.hasDescribedBy { states += " aria-describedby=\"\(escape(field.describedBy))\"" }
        if field.isInput {
            html += "<input type=\"\(escape(field.type))\" id=\"\(id)\" name=\"\(name)\" value=\"\(escape(field.value))\""
            html += " autocomplete=\"\(escape(field.autocomplete))\"" + (field.hasInputMode ? " inputmode=\"\(escape(field.inputMode))\"" : "") + states + ">"
        } else if field.isTextarea {
            html += "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"4\"\(states)>\(escape(field.value))</textarea>"
        } else if field.isSelect {
            html += "<select id=\"\(id)\" name=\"\(name)\"\(states)>\n"
            for option in field.options {
                html += "<option value=\"\(escape(option.value))\"\(option.selected ? " selected" : "")>\(escape(option.label))</option>\n"
            }
            html += "</select>"
        }
        return html + "\n</div>\n"
    }

    private static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
