import IndgangCore

/// What the layout template shows around every page: document title, the one `h1`, navigation by role, the
/// flash (status or alert) and the CSRF token the page's POST forms carry.
public struct LayoutModel: Sendable {
    let title: String
    let heading: String
    let csrfToken: String
    let hasViewer: Bool
    let viewerName: String
    let roleLabel: String
    let homeHref: String
    let hasNav: Bool
    let nav: [NavItem]
    let notice: Notice?
    let unreadCount: Int

    /// `fields`: every control on the page, so that an alert about a field names it and links to it.
    init(context: PageContext, heading: String, section: NavSection, fields: [FormField] = []) {
        self.heading = heading
        csrfToken = context.csrfToken
        hasViewer = context.viewer != nil
        viewerName = context.viewer?.actorName ?? ""
        roleLabel = context.viewer.map { DanishLabels.role($0.role) } ?? ""
        homeHref = Self.home(for: context.viewer?.role)
        nav = Self.navigation(for: context.viewer?.role, section: section, unread: context.unreadCount)
        hasNav = !nav.isEmpty
        unreadCount = context.unreadCount
        notice = Self.notice(for: context.flash, fields: fields)
        // Screen-reader users hear the title first: a refused form says so there too.
        title = (notice?.isAlert == true ? "Fejl: " : "") + heading + " – Indgang"
    }

    /// Where each role starts (API.md: caseworker → inbox, coordinator → readmissions, admin → admin).
    public static func home(for role: Role?) -> String {
        switch role {
        case .caseworker: "/console/inbox"
        case .coordinator: "/console/outcomes/readmissions"
        case .admin: "/console/admin"
        case .integration, nil: "/console/login"
        }
    }

    static func navigation(for role: Role?, section: NavSection, unread: Int) -> [NavItem] {
        let entries: [(NavSection, String, String)]
        switch role {
        case .caseworker:
            entries = [
                (.inbox, "/console/inbox", "Indbakke"), (.cases, "/console/cases", "Sager"), (.newCase, "/console/cases/new", "Opret sag"),
                (.search, "/console/search", "Find borger"), (.notifications, "/console/notifications", "Notifikationer"),
            ]
        case .coordinator:
            entries = [
                (.readmissions, "/console/outcomes/readmissions", "Genindlæggelser"),
                (.recidivism, "/console/outcomes/recidivism", "Tilbagefald"), (.handoffs, "/console/outcomes/handoffs", "Overdragelser"),
            ]
        case .admin:
            entries = [(.admin, "/console/admin", "Administration")]
        case .integration, nil:
            entries = []
        }
        return entries.map { entry in
            let badge = entry.0 == .notifications
            return NavItem(
                href: entry.1, label: entry.2, current: entry.0 == section, hasBadge: badge, badgeCount: DanishFormat.integer(unread),
                badgeHidden: unread == 0)
        }
    }

    static func notice(for flash: Flash?, fields: [FormField]) -> Notice? {
        switch flash {
        case nil:
            return nil
        case .status(let message):
            return Notice(isAlert: false, message: message, hasField: false, fieldLabel: "", hasFieldLink: false, fieldID: "")
        case .alert(let message):
            return Notice(isAlert: true, message: message, hasField: false, fieldLabel: "", hasFieldLink: false, fieldID: "")
        case .problem(let problem):
            let field = fields.first(where: \.hasError)
            return Notice(
                isAlert: true, message: problem.message, hasField: true, fieldLabel: field?.label ?? DanishLabels.field(problem.field),
                hasFieldLink: field != nil, fieldID: field?.id ?? "")
        }
    }
}
