import Mustache

/// The escaping every console template uses (each is loaded with `{{% CONTENT_TYPE: INDGANG_HTML}}` in front).
/// swift-mustache's own HTML escaping compares whole `Character`s, so a quote followed by a combining mark
/// (`"\u{301}`) is one Character that is not in its table and goes out unescaped: an attribute value ends there
/// and the rest of the text becomes markup. This one works on Unicode scalars, where `"` is always `"`.
struct HTMLEscaping: MustacheContentType {
    static let name = "INDGANG_HTML"

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
