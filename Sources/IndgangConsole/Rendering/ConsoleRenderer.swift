import Foundation
import Mustache

/// Renders the console's view models to HTML. Load it once at start-up (it reads and parses every template
/// from the bundle) and share it: it is immutable and `Sendable`.
public struct ConsoleRenderer: Sendable {
    /// Every page model, so that a missing template is found at start-up rather than on a user's request.
    static let pageTypes: [any ConsolePage.Type] = [
        LoginPage.self, InboxPage.self, CasesPage.self, CasePage.self, NewCasePage.self, SearchPage.self,
        NotificationsPage.self, OutcomePage.self, HandoffOutcomePage.self, AdminPage.self, MessagePage.self,
    ]

    private let library: MustacheLibrary
    /// The names of the loaded templates (partials included).
    public let templateNames: Set<String>

    /// Loads `Templates/*.mustache` from the module's bundle; throws if one is missing, does not parse, or names
    /// a partial or parent that does not exist.
    public init() throws {
        guard let directory = Self.bundledTemplates else {
            throw ConsoleRendererError.templatesNotFound(Bundle.module.bundlePath + "/Templates")
        }
        try self.init(directory: directory)
    }

    static var bundledTemplates: URL? { Bundle.module.url(forResource: "Templates", withExtension: nil) }

    /// Loads the templates from `directory` (tests; a development server reading templates from the source tree).
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw ConsoleRendererError.templatesNotFound(directory.path)
        }
        MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.name)
        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        for file in names {
            let name = String(file.dropLast(".mustache".count))
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
                throw ConsoleRendererError.missingTemplate(name)
            }
            let text = String(decoding: data, as: UTF8.self)
            do {
                try library.register("{{% CONTENT_TYPE: \(HTMLEscaping.name)}}" + text, named: name)
            } catch {
                throw ConsoleRendererError.invalidTemplate(name: name, reason: String(describing: error))
            }
            texts[name] = text
        }
        // swift-mustache renders a missing partial as nothing; a page silently losing its forms is worse than not starting.
        for (name, text) in texts {
            for referenced in Self.referencedTemplates(in: text) where texts[referenced] == nil {
                throw ConsoleRendererError.invalidTemplate(name: name, reason: "names template \(referenced), which does not exist")
            }
        }
        for page in Self.pageTypes where texts[page.template] == nil {
            throw ConsoleRendererError.missingTemplate(page.template)
        }
        self.library = library
        self.templateNames = Set(texts.keys)
    }

    public func render<Page: ConsolePage>(_ page: Page) throws -> String {
        try render(page, template: Page.template)
    }

    /// One fragment of a page (the same markup the page contains), for partial refreshes.
    public func render<Page: ConsolePage>(_ fragment: ConsoleFragment, of page: Page) throws -> String {
        guard fragment.pageType == Page.self else {
            throw ConsoleRendererError.fragmentNotInPage(fragment: fragment.rawValue, page: String(describing: Page.self))
        }
        return try render(page, template: fragment.rawValue)
    }

    private func render(_ model: some ConsolePage, template: String) throws -> String {
        guard let html = library.render(RenderTree.build(model) ?? [:], withTemplate: template) else {
            throw ConsoleRendererError.missingTemplate(template)
        }
        return html
    }

    static func referencedTemplates(in text: String) -> [String] {
        text.matches(of: /\{\{\s*[<>]\s*([A-Za-z0-9_\-\/]+)\s*\}\}/).map { String($0.output.1) }
    }
}
