/// A page's view model: the template that renders it, and the layout it fills.
public protocol ConsolePage: Sendable {
    /// The template's name (its file under `Templates/` without `.mustache`).
    static var template: String { get }
    /// Title, heading, navigation, notice and CSRF token, shared by every page.
    var layout: LayoutModel { get }
}
