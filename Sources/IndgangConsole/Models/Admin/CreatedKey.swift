import IndgangCore

/// A key just created: its plain text exists only in this one answer. Render the admin page with it as the
/// answer to the POST itself (not after a redirect), and never keep it in the session.
public struct CreatedKey: Sendable, Equatable {
    public var id: String
    public var key: String
    public var role: Role
    public var actor: String

    public init(id: String, key: String, role: Role, actor: String) {
        self.id = id
        self.key = key
        self.role = role
        self.actor = actor
    }
}
