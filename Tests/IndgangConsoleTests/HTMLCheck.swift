import Foundation

/// A small scanner for the console's own HTML (well-formed, attributes always double-quoted): enough to check
/// structure and accessibility rules as text, without a browser.
struct HTMLCheck {
    struct Tag {
        let name: String
        let attributes: [String: String]
        let offset: Int
    }

    let html: String
    let tags: [Tag]

    init(_ html: String) {
        self.html = html
        var found: [Tag] = []
        for match in html.matches(of: /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*\/?>/) {
            var attributes: [String: String] = [:]
            for attribute in String(match.output.2).matches(of: /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/) {
                attributes[String(attribute.output.1)] = attribute.output.2.map(String.init) ?? ""
            }
            found.append(Tag(name: String(match.output.1).lowercased(), attributes: attributes, offset: html.distance(from: html.startIndex, to: match.range.lowerBound)))
        }
        tags = found
    }

    func tags(_ name: String) -> [Tag] { tags.filter { $0.name == name } }

    func count(_ name: String) -> Int { tags(name).count }

    var ids: [String] { tags.compactMap { $0.attributes["id"] } }

    /// The controls a user fills in (not hidden fields, not buttons).
    var controls: [Tag] {
        tags.filter { tag in
            (tag.name == "input" && !["hidden", "submit", "button"].contains(tag.attributes["type"] ?? "text"))
                || tag.name == "select" || tag.name == "textarea"
        }
    }

    /// Each `<form …>…</form>` as text with its opening tag's attributes.
    var forms: [(attributes: [String: String], body: String)] {
        html.matches(of: /<form\b[^>]*>[\s\S]*?<\/form>/).map { match in
            let body = String(match.output)
            return (HTMLCheck(body).tags("form").first?.attributes ?? [:], body)
        }
    }

    var tables: [String] { html.matches(of: /<table\b[\s\S]*?<\/table>/).map { String($0.output) } }

    /// Every rule the console promises for a page; the empty list when all hold.
    func violations(fullPage: Bool = true) -> [String] {
        var problems: [String] = []
        if fullPage {
            if tags("html").first?.attributes["lang"] != "da" { problems.append("html lang is not da") }
            if count("h1") != 1 { problems.append("\(count("h1")) h1 elements") }
            for landmark in ["header", "main", "footer"] where count(landmark) != 1 {
                problems.append("\(count(landmark)) \(landmark) elements")
            }
            if !tags("a").contains(where: { $0.attributes["href"] == "#indhold" }) { problems.append("no skip link") }
            if !ids.contains("indhold") { problems.append("no #indhold target") }
        }
        let idList = ids
        let idSet = Set(idList)
        if idSet.count != idList.count {
            problems.append("duplicate ids: \(Dictionary(grouping: idList, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        }
        let labelled = Set(tags("label").compactMap { $0.attributes["for"] })
        for control in controls {
            guard let id = control.attributes["id"] else {
                problems.append("\(control.name) name=\(control.attributes["name"] ?? "?") without id")
                continue
            }
            if !labelled.contains(id) { problems.append("\(control.name) #\(id) has no label") }
        }
        for tag in tags {
            for reference in ["aria-describedby", "aria-labelledby"] {
                for id in (tag.attributes[reference] ?? "").split(separator: " ") where !idSet.contains(String(id)) {
                    problems.append("\(reference) names missing id \(id)")
                }
            }
            if tag.attributes["style"] != nil { problems.append("inline style on \(tag.name)") }
            if tag.attributes.keys.contains(where: { $0.lowercased().hasPrefix("on") }) { problems.append("event handler attribute on \(tag.name)") }
            if tag.name == "script", tag.attributes["src"] == nil { problems.append("inline script") }
            for attribute in ["src", "href", "action"] {
                if let url = tag.attributes[attribute], url.contains("://") || url.hasPrefix("//") { problems.append("external \(attribute) \(url)") }
            }
        }
        if html.contains("<style") { problems.append("style element") }
        for form in forms {
            if form.attributes["method"] == "post" {
                let check = HTMLCheck(form.body)
                let token = check.tags("input").first { $0.attributes["name"] == "csrf_token" }
                if token?.attributes["type"] != "hidden" || (token?.attributes["value"] ?? "").isEmpty {
                    problems.append("post form #\(form.attributes["id"] ?? "?") without csrf_token")
                }
            } else if form.attributes["method"] != "get" {
                problems.append("form #\(form.attributes["id"] ?? "?") with method \(form.attributes["method"] ?? "none")")
            }
        }
        for table in tables {
            let check = HTMLCheck(table)
            if check.count("caption") == 0 { problems.append("table without caption") }
            if check.count("th") == 0 { problems.append("table without th") }
            if check.tags("th").contains(where: { $0.attributes["scope"] == nil }) { problems.append("th without scope") }
        }
        return problems
    }
}
