/// An actor as the console names it: the slug (compared, submitted) and the name (shown).
public struct ActorRef: Sendable, Equatable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}
