/// One version of a local variant of a base pathway, in force for its municipalities from `validFrom` until the
/// variant's next version (API.md, "Pathway variants, goals and working days").
public struct PathwayVariant: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// Changes the base's overridable parameters and adds rules after the base's.
        case extends(base: String, overrides: VariantOverrides, rules: [PathwayRule])
        /// Runs another municipality's variant, as it is.
        case adopts(VariantReference)
    }

    public let id: String
    public let title: String
    public let version: Int
    /// Municipality codes (`citizen.moved`'s `municipality_code`).
    public let municipalities: [String]
    public let validFrom: CalendarDate
    public let content: Content
    public let goals: [PathwayGoal]

    public init(
        id: String, title: String, version: Int, municipalities: [String], validFrom: CalendarDate, content: Content, goals: [PathwayGoal] = []
    ) {
        self.id = id
        self.title = title
        self.version = version
        self.municipalities = municipalities
        self.validFrom = validFrom
        self.content = content
        self.goals = goals
    }

    public var reference: VariantReference { VariantReference(id: id, version: version) }

    public var adopted: VariantReference? {
        if case .adopts(let reference) = content { return reference }
        return nil
    }
}
