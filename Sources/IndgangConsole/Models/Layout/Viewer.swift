import IndgangCore

/// The signed-in person's actor and role (the navigation follows the role).
public struct Viewer: Sendable, Equatable {
    public var actorSlug: String
    public var actorName: String
    public var role: Role

    public init(actorSlug: String, actorName: String, role: Role) {
        self.actorSlug = actorSlug
        self.actorName = actorName
        self.role = role
    }
}
