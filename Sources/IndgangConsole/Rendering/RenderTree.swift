import Mustache

/// A view model turned into `RenderNode`s, arrays and `RenderText` before rendering. swift-mustache looks every
/// name up by reflecting the objects on its context stack, and a name not found on a row climbs to the page: with
/// forms inside rows of tables that is a fresh `Mirror` of each enclosing struct per lookup (an inbox of 70
/// rows took over 100 ms). Reflecting each struct once and rendering from its fields by name keeps the same lookup
/// rules (a nil optional is absent, so the name climbs exactly as before) at a fraction of the cost. Forms become
/// their markup (`FormMarkup`) here, with the page's CSRF token.
struct RenderTree {
    let csrfToken: String

    static func build(_ page: some ConsolePage) -> Any? {
        RenderTree(csrfToken: page.layout.csrfToken).build(page)
    }

    func build(_ value: Any) -> Any? {
        switch value {
        case let text as String:
            return RenderText(text)
        case let number as Int:
            return RenderText(String(number))
        case is Bool, is Double, is any MustacheCustomRenderable:
            return value
        case let form as FormModel:
            return RenderedForm(markup: FormMarkup.form(form, csrfToken: csrfToken), hasError: form.hasError)
        case let array as [Any]:
            return array.compactMap(build)
        case let listed as any RenderFields:
            return RenderNode(listed.renderFields.compactMapValues(build))
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                return mirror.children.first.flatMap { build($0.value) }
            case .struct, .class:
                var fields: [String: Any] = [:]
                fields.reserveCapacity(Int(mirror.children.count))
                for child in mirror.children {
                    if let label = child.label, let converted = build(child.value) { fields[label] = converted }
                }
                return RenderNode(fields)
            default:
                return value
            }
        }
    }
}

/// One object of the tree: its fields by name. A class of its own because swift-mustache casts every object on
/// its context stack to `MustacheParent` for every name it looks up, and a cast to `Dictionary`'s *conditional*
/// conformance is re-checked by the runtime each time.
final class RenderNode: MustacheParent {
    let fields: [String: Any]

    init(_ fields: [String: Any]) {
        self.fields = fields
    }

    func child(named name: String) -> Any? { fields[name] }
}

/// A text value: swift-mustache renders a `MustacheCustomRenderable` after one cast, where a plain `String` is
/// tried against a template, a renderable, a lambda and an optional before it is described.
struct RenderText: MustacheCustomRenderable {
    let renderText: String

    init(_ text: String) {
        renderText = text
    }

    var isNull: Bool { false }
}

/// A form in the tree: its markup for `{{{form}}}`, and `hasError` for a template that opens the `<details>` around a
/// form with a refused field.
final class RenderedForm: MustacheParent, MustacheCustomRenderable {
    let markup: Markup
    let hasError: Bool

    init(markup: Markup, hasError: Bool) {
        self.markup = markup
        self.hasError = hasError
    }

    var renderText: String { markup.text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { name == "hasError" ? hasError : nil }
}
