/// Who escalations and overdue handoffs are told to, besides the parties: per pathway, and per variant that
/// overrides it (a case records the variant it runs under).
public struct EscalationActors: Sendable, Equatable {
    private let slugs: [String: String]

    public init(_ ruleSet: PathwayRuleSet) {
        var slugs: [String: String] = [:]
        for base in ruleSet.bases { slugs[base.id] = base.escalationActor }
        for variant in ruleSet.variants {
            guard let (base, rules) = ruleSet.resolution(of: variant.reference) else { continue }
            if let slug = ruleSet.escalationActor(pathway: base, variant: rules) { slugs[Self.key(base, rules)] = slug }
        }
        self.slugs = slugs
    }

    /// Per base pathway only (tests, and callers without variants).
    public init(byPathway: [String: String] = [:]) {
        self.slugs = byPathway
    }

    /// A variant that overrides nothing here, or that is no longer loaded (a case recorded it earlier), has its base's.
    public func slug(pathway: String, variant: VariantReference?) -> String? {
        if let variant, let slug = slugs[Self.key(pathway, variant)] { return slug }
        return slugs[pathway]
    }

    /// Every slug named anywhere (to look them all up at once).
    public var allSlugs: Set<String> { Set(slugs.values) }

    private static func key(_ pathway: String, _ variant: VariantReference) -> String { "\(pathway)|\(variant)" }
}
