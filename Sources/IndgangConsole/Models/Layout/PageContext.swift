import Foundation

/// What every page needs from the request: the session's CSRF token, who is signed in, the unread count,
/// the flash left by the previous POST (POST/redirect/GET) and the clock (overdue marks, "due in").
public struct PageContext: Sendable {
    public var csrfToken: String
    /// Nil before login.
    public var viewer: Viewer?
    public var unreadCount: Int
    public var flash: Flash?
    public var now: Date

    public init(csrfToken: String, viewer: Viewer? = nil, unreadCount: Int = 0, flash: Flash? = nil, now: Date = Date()) {
        self.csrfToken = csrfToken
        self.viewer = viewer
        self.unreadCount = unreadCount
        self.flash = flash
        self.now = now
    }
}
