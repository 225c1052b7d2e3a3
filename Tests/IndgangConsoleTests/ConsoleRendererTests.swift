import Foundation
import Testing

@testable import IndgangConsole

@Suite struct ConsoleRendererTests {
    static func temporaryTemplates(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-templates-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name + ".mustache"), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static var shippedDirectory: URL { ConsoleRenderer.bundledTemplates! }

    @Test func loadsEveryTemplateFromTheBundle() throws {
        let renderer = try ConsoleRenderer()
        for page in ConsoleRenderer.pageTypes {
            #expect(renderer.templateNames.contains(page.template))
        }
        for fragment in ConsoleFragment.allCases {
            #expect(renderer.templateNames.contains(fragment.rawValue))
        }
        #expect(renderer.templateNames.isSuperset(of: ["layout", "case-table", "outcome-about"]))
    }

    @Test func aMissingDirectoryOrPageTemplateFailsLoudly() throws {
        #expect(throws: ConsoleRendererError.self) { try ConsoleRenderer(directory: URL(fileURLWithPath: "/nonexistent/templates")) }
        let partial = try Self.temporaryTemplates(["layout": "{{$content}}{{/content}}"])
        #expect(throws: ConsoleRendererError.missingTemplate("login")) { try ConsoleRenderer(directory: partial) }
    }

    @Test func aTemplateNamingAMissingPartialOrParentFailsLoudly() throws {
        var files: [String: String] = [:]
        for page in ConsoleRenderer.pageTypes { files[page.template] = "ok" }
        files["inbox-incoming"] = "ok"
        files["login"] = "{{<layout}}{{/layout}}"
        let directory = try Self.temporaryTemplates(files)
        #expect(throws: ConsoleRendererError.self) { try ConsoleRenderer(directory: directory) }
        files["layout"] = "{{> nowhere }}"
        let again = try Self.temporaryTemplates(files)
        #expect(throws: ConsoleRendererError.invalidTemplate(name: "layout", reason: "names template nowhere, which does not exist")) {
            try ConsoleRenderer(directory: again)
        }
    }

    @Test func aTemplateThatDoesNotParseFailsLoudly() throws {
        var files: [String: String] = [:]
        for page in ConsoleRenderer.pageTypes { files[page.template] = "ok" }
        files["cases"] = "{{#open}} never closed"
        let directory = try Self.temporaryTemplates(files)
        #expect {
            try ConsoleRenderer(directory: directory)
        } throws: { error in
            if case ConsoleRendererError.invalidTemplate(name: "cases", _) = error { return true }
            return false
        }
    }

    @Test func aFragmentRendersAloneAndOnlyFromItsPage() throws {
        let page = InboxPage(context: Fixture.context(), incoming: [Fixture.handoff("h1")], outgoing: [], rejected: [])
        let fragment = try Fixture.renderer.render(.inboxIncoming, of: page)
        #expect(fragment.hasPrefix("<section id=\"inkommende\""))
        #expect(!fragment.contains("<html") && !fragment.contains("<h1"))
        #expect(fragment.contains("name=\"csrf_token\" value=\"csrf-token-123\""))
        #expect(try Fixture.renderer.render(page).contains(fragment.trimmingCharacters(in: .whitespacesAndNewlines)))
        let other = CasesPage(context: Fixture.context(), filter: CaseFilter(), pathways: [], cases: [])
        #expect(throws: ConsoleRendererError.fragmentNotInPage(fragment: "inbox-incoming", page: "CasesPage")) {
            try Fixture.renderer.render(.inboxIncoming, of: other)
        }
    }

    /// Unescaped insertions are the charts and the forms, which `RenderTree` turns into `Markup` (built and escaped here).
    @Test func templatesInsertUnescapedOnlyChartsAndForms() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.shippedDirectory.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 15)
        for name in names {
            let text = try String(contentsOf: Self.shippedDirectory.appendingPathComponent(name), encoding: .utf8)
            let raw = text.matches(of: /\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{&\s*([^}]*?)\s*\}\}/).map { String($0.output.1 ?? $0.output.2 ?? "") }
            #expect(raw.allSatisfy { $0 == "chart" || $0.wholeMatch(of: /([a-z]+F|f)orm/) != nil }, "\(name): \(raw)")
            #expect(!text.contains("style=") && !text.contains("<style") && !text.contains(" on"), "\(name)")
        }
    }

    /// The hand-written field lists must name exactly the stored properties, or a template would silently miss one.
    @Test func handWrittenFieldListsMatchTheStoredProperties() throws {
        let inbox = Gallery.inbox()
        let casePage = CasePage(context: Fixture.context(), detail: Fixture.caseDetail(), timeline: Fixture.timeline, actors: Fixture.actors)
        let row = try #require(inbox.incoming.first)
        let samples: [any RenderFields] = [row, try #require(casePage.timeline.first), CaseRow(Gallery.caseItem, now: Fixture.now)]
        for sample in samples {
            let labels = Set(Mirror(reflecting: sample).children.compactMap(\.label))
            #expect(Set(sample.renderFields.keys) == labels, "\(type(of: sample))")
        }
    }

    @Test func theRenderTreeKeepsMustacheLookupRules() {
        struct Inner { let name: String; let missing: String? }
        struct Outer { let name: String; let inner: Inner; let list: [Inner]; let flag: Bool; let markup: Markup }
        let tree = RenderTree(csrfToken: "t").build(
            Outer(name: "o", inner: Inner(name: "i", missing: nil), list: [Inner(name: "l", missing: "x")], flag: true, markup: Markup("<b>")))
        let root = (tree as? RenderNode)?.fields
        #expect((root?["name"] as? RenderText)?.renderText == "o")
        #expect(root?["flag"] as? Bool == true)
        #expect((root?["inner"] as? RenderNode)?.fields.keys.sorted() == ["name"])
        #expect((((root?["list"] as? [Any])?.first as? RenderNode)?.fields["missing"] as? RenderText)?.renderText == "x")
        #expect(root?["markup"] as? Markup == Markup("<b>"))
    }
}
