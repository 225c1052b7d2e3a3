/// Parts of a page that the server may render on their own, for the console script's partial refreshes.
public enum ConsoleFragment: String, Sendable, CaseIterable {
    /// The inbox's incoming handoffs (`InboxPage`), for `GET /console/inbox?fragment=incoming`.
    case inboxIncoming = "inbox-incoming"

    var pageType: any ConsolePage.Type {
        switch self {
        case .inboxIncoming: InboxPage.self
        }
    }
}
