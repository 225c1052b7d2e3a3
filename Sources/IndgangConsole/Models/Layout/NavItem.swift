struct NavItem: Sendable {
    let href: String
    let label: String
    let current: Bool
    /// The unread badge (notifications): always rendered for the script to update, hidden when zero.
    let hasBadge: Bool
    let badgeCount: String
    let badgeHidden: Bool
}
