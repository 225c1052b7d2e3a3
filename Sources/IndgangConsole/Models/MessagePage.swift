/// A page that only says something: not found, not allowed, session ended, a server error. Give it the status
/// code the situation calls for.
public struct MessagePage: ConsolePage {
    public static let template = "message"
    public let layout: LayoutModel
    let paragraphs: [String]
    let links: [LinkItem]
    let hasLinks: Bool

    /// `links`: where to go from here (URL and label); the viewer's home page by default.
    public init(context: PageContext, heading: String, paragraphs: [String], links: [Choice]? = nil) {
        self.paragraphs = paragraphs
        self.links = (links ?? [Choice(value: LayoutModel.home(for: context.viewer?.role), label: "Til forsiden")])
            .map { LinkItem(href: $0.value, label: $0.label) }
        hasLinks = !self.links.isEmpty
        layout = LayoutModel(context: context, heading: heading, section: .none)
    }
}
