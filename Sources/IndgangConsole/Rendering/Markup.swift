import Mustache

/// Markup built by this module (the SVG charts), which a template inserts unescaped with `{{{…}}}`. Its
/// initialiser is internal, so text from outside (the server, the database, a user) can never become one;
/// everything inside it was escaped by the code that built it.
public struct Markup: Sendable, Equatable, MustacheCustomRenderable {
    public let text: String

    init(_ text: String) {
        self.text = text
    }

    public var renderText: String { text }
    public var isNull: Bool { false }
}
