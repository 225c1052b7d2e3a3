/// An actor as the admin page lists it.
public struct AdminActor: Sendable, Equatable {
    public var slug: String
    public var name: String
    /// `municipality`, `hospital`, `prison`, `psychiatry`, `other`.
    public var kind: String
    public var municipalityCode: String?

    public init(slug: String, name: String, kind: String, municipalityCode: String? = nil) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.municipalityCode = municipalityCode
    }
}
