/// Text and numbers as they go into SVG markup: escaped text, coordinates with at most one decimal (so the
/// output is the same on every machine and can be compared as text).
enum SVG {
    static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }

    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return magnitude % 10 == 0 ? sign + String(magnitude / 10) : sign + "\(magnitude / 10).\(magnitude % 10)"
    }

    /// The opening `<svg>` with the accessible name and description screen readers announce.
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        let id = escape(id)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "role=\"img\" aria-labelledby=\"\(id)-titel \(id)-beskrivelse\" focusable=\"false\">\n"
            + "<title id=\"\(id)-titel\">\(escape(title))</title>\n<desc id=\"\(id)-beskrivelse\">\(escape(description))</desc>\n"
    }

    static func line(_ cssClass: String, x1: Double, y1: Double, x2: Double, y2: Double) -> String {
        "<line class=\"\(cssClass)\" x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\"/>\n"
    }

    static func text(_ cssClass: String, x: Double, y: Double, _ content: String) -> String {
        "<text class=\"\(cssClass)\" x=\"\(number(x))\" y=\"\(number(y))\">\(escape(content))</text>\n"
    }

    /// A label cut to `limit` characters, so a long group name cannot run into the bars.
    static func shortened(_ label: String, limit: Int) -> String {
        label.count > limit ? String(label.prefix(limit - 1)) + "…" : label
    }
}
