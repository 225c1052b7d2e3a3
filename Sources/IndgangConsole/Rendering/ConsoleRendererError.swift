/// Why the console could not render: always a programming or packaging error, never the user's.
public enum ConsoleRendererError: Error, Equatable, CustomStringConvertible {
    /// The templates folder is missing from the bundle.
    case templatesNotFound(String)
    /// A template failed to parse.
    case invalidTemplate(name: String, reason: String)
    /// A template (or a partial or parent that a template names) does not exist.
    case missingTemplate(String)
    /// A fragment was asked of a page that does not contain it.
    case fragmentNotInPage(fragment: String, page: String)

    public var description: String {
        switch self {
        case .templatesNotFound(let path): "console templates not found at \(path)"
        case .invalidTemplate(let name, let reason): "console template \(name) does not parse: \(reason)"
        case .missingTemplate(let name): "console template \(name) does not exist"
        case .fragmentNotInPage(let fragment, let page): "fragment \(fragment) is not part of \(page)"
        }
    }
}
