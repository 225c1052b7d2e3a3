/// The base pathways and their local variants, checked together, and the answer to "which rules govern an event
/// of a citizen living in this municipality on this date". Pure and precomputed: the engine asks once per event.
public struct PathwayRuleSet: Sendable {
    /// The rules one event is decided by: the base as a variant runs it, and which variant that is (nil: the base).
    public struct Governing: Sendable, Equatable {
        public let definition: PathwayDefinition
        public let variant: VariantReference?
        /// Per rule of `definition`: its key in effect slots (`3` for the base's fourth rule, `hillerod-subacute.0` for
        /// a variant's first own rule), so a variant's own rules never take the slot of a base rule or of another's.
        public let ruleKeys: [String]
    }

    /// When one variant is in force for one municipality: `from` up to (not including) `until`.
    public struct Tenure: Sendable, Equatable {
        public let entry: VariantReference
        /// The variant whose rules apply (the adopted one for an adopting entry).
        public let governing: VariantReference
        public let from: CalendarDate
        public let until: CalendarDate?

        func covers(_ date: CalendarDate) -> Bool { from <= date && until.map { date < $0 } ?? true }
    }

    public let bases: [PathwayDefinition]
    public let variants: [PathwayVariant]
    private let governing: [String: Governing]
    /// Base id → municipality code → tenures, by date.
    private let tenures: [String: [String: [Tenure]]]
    private let resolved: [VariantReference: (base: String, rules: VariantReference)]

    /// Checks the variants against the bases and each other; every problem found, or the rule set.
    public static func check(bases: [PathwayDefinition], variants: [PathwayVariant]) -> Result<PathwayRuleSet, RuleSetErrors> {
        var problems: [RuleSetProblem] = []
        let baseByID = Dictionary(bases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byReference: [VariantReference: PathwayVariant] = [:]
        for variant in variants {
            if byReference[variant.reference] != nil {
                problems.append(.init(variant: variant.reference, field: "version", message: "\(variant.reference) is declared twice"))
            } else if baseByID[variant.id] != nil {
                problems.append(.init(variant: variant.reference, field: "id", message: "\(variant.id) is already a base pathway's id"))
            } else {
                byReference[variant.reference] = variant
            }
        }

        // Which base and which rules each version resolves to, following adoption chains.
        var resolved: [VariantReference: (base: String, rules: VariantReference)] = [:]
        for variant in byReference.values.sorted(by: { $0.reference < $1.reference }) {
            var seen: [VariantReference] = [variant.reference]
            var current = variant
            while true {
                switch current.content {
                case .extends(let base, let overrides, _):
                    if let definition = baseByID[base] {
                        if current.reference == variant.reference {
                            for parameter in overrides.parameters.subtracting(definition.overridable).sorted(by: { $0.rawValue < $1.rawValue }) {
                                problems.append(
                                    .init(
                                        variant: variant.reference, field: "overrides.\(parameter.rawValue)",
                                        message: "\(base) does not declare \(parameter.rawValue) overridable"
                                            + (definition.overridable.isEmpty ? "" : " (it allows \(definition.overridable.map(\.rawValue).sorted().joined(separator: ", ")))")))
                            }
                        }
                        resolved[variant.reference] = (base, current.reference)
                    } else if current.reference == variant.reference {
                        problems.append(.init(variant: variant.reference, field: "extends", message: "no base pathway \(base)"))
                    }
                case .adopts(let target):
                    guard let next = byReference[target] else {
                        if current.reference == variant.reference {
                            let known = byReference.keys.filter { $0.id == target.id }.map(\.version).sorted()
                            problems.append(
                                .init(
                                    variant: variant.reference, field: "adopts",
                                    message: known.isEmpty ? "no variant \(target.id)" : "\(target.id) has no version \(target.version) (it has \(known.map(String.init).joined(separator: ", ")))"))
                        }
                        break
                    }
                    if seen.contains(target) {
                        problems.append(
                            .init(variant: variant.reference, field: "adopts", message: "adoption cycle: \((seen + [target]).map(\.description).joined(separator: " → "))"))
                        break
                    }
                    seen.append(target)
                    current = next
                    continue
                }
                break
            }
        }

        // Tenures: each version of a variant holds its municipalities from its valid_from until the variant's next version.
        var tenures: [String: [String: [Tenure]]] = [:]
        let versionsByID = Dictionary(grouping: byReference.values, by: \.id).mapValues { $0.sorted { ($0.validFrom, $0.version) < ($1.validFrom, $1.version) } }
        for (id, versions) in versionsByID.sorted(by: { $0.key < $1.key }) {
            let basesOfID = Set(versions.compactMap { resolved[$0.reference]?.base })
            if basesOfID.count > 1, let last = versions.last {
                problems.append(
                    .init(variant: last.reference, field: "extends", message: "the versions of \(id) belong to different bases (\(basesOfID.sorted().joined(separator: ", "))): one variant id, one base"))
            }
            for pair in zip(versions, versions.dropFirst()) where pair.0.validFrom == pair.1.validFrom {
                problems.append(
                    .init(variant: pair.1.reference, field: "valid_from", message: "\(id) versions \(pair.0.version) and \(pair.1.version) both start on \(pair.1.validFrom)"))
            }
            for pair in zip(versions, versions.dropFirst()) where pair.0.validFrom < pair.1.validFrom && pair.0.version > pair.1.version {
                problems.append(
                    .init(
                        variant: pair.0.reference, field: "valid_from",
                        message: "version \(pair.0.version) of \(id) starts before version \(pair.1.version): versions supersede each other in order"))
            }
            for (index, version) in versions.enumerated() {
                guard let (base, rules) = resolved[version.reference] else { continue }
                let until = index + 1 < versions.count ? versions[index + 1].validFrom : nil
                for municipality in version.municipalities {
                    tenures[base, default: [:]][municipality, default: []].append(
                        Tenure(entry: version.reference, governing: rules, from: version.validFrom, until: until))
                }
            }
        }
        for (base, byMunicipality) in tenures.sorted(by: { $0.key < $1.key }) {
            for (municipality, list) in byMunicipality.sorted(by: { $0.key < $1.key }) {
                let sorted = list.sorted { ($0.from, $0.entry) < ($1.from, $1.entry) }
                tenures[base]?[municipality] = sorted
                for (index, tenure) in sorted.enumerated() {
                    for other in sorted[(index + 1)...] where other.entry.id != tenure.entry.id && (tenure.until.map({ other.from < $0 }) ?? true) {
                        problems.append(
                            .init(
                                variant: other.entry, field: "municipalities",
                                message: "municipality \(municipality) already runs \(tenure.entry) of \(base) from \(tenure.from)"
                                    + (tenure.until.map { " until \($0)" } ?? "") + "; two variants cannot both be in force there"))
                    }
                }
            }
        }
        guard problems.isEmpty else { return .failure(RuleSetErrors(problems: problems)) }
        return .success(PathwayRuleSet(bases: bases, variants: byReference.values.sorted { $0.reference < $1.reference }, tenures: tenures, resolved: resolved))
    }

    /// Bases only: every event is decided by its base pathway.
    public init(bases: [PathwayDefinition]) {
        self.init(bases: bases, variants: [], tenures: [:], resolved: [:])
    }

    private init(
        bases: [PathwayDefinition], variants: [PathwayVariant], tenures: [String: [String: [Tenure]]],
        resolved: [VariantReference: (base: String, rules: VariantReference)]
    ) {
        self.bases = bases.sorted { $0.id < $1.id }
        self.variants = variants
        self.tenures = tenures
        self.resolved = resolved
        var governing: [String: Governing] = [:]
        for base in self.bases {
            governing[base.id] = Governing(definition: base, variant: nil, ruleKeys: base.rules.indices.map(String.init))
        }
        for variant in variants {
            guard case .extends(let baseID, let overrides, let rules) = variant.content, let base = self.bases.first(where: { $0.id == baseID }) else {
                continue
            }
            governing[variant.reference.description] = Governing(
                definition: base.applying(overrides, adding: rules), variant: variant.reference,
                ruleKeys: base.rules.indices.map(String.init) + rules.indices.map { "\(variant.id).\($0)" })
        }
        self.governing = governing
    }

    /// The rules that decide an event of `base` for a citizen of `municipality` on `date`.
    public func governing(_ base: String, municipality: String?, on date: CalendarDate) -> Governing? {
        if let municipality, let tenure = tenures[base]?[municipality]?.first(where: { $0.covers(date) }),
            let governing = governing[tenure.governing.description]
        {
            return governing
        }
        return governing[base]
    }

    /// The rules of one variant version that has its own (not an adopting one).
    public func governing(rules variant: VariantReference) -> Governing? { governing[variant.description] }

    /// Whether any variant exists for `base` (when none does, the municipality need not be looked up).
    public func hasVariants(_ base: String) -> Bool { tenures[base] != nil }

    /// Every tenure of `base`, per municipality, for figures by variant.
    public func tenures(of base: String) -> [String: [Tenure]] { tenures[base] ?? [:] }

    /// The base a variant version belongs to and the version whose rules it runs.
    public func resolution(of variant: VariantReference) -> (base: String, rules: VariantReference)? { resolved[variant] }

    /// The municipalities that run `variant` (any version) by adopting it, from their own entries.
    /// Through adoption chains: a municipality adopting an adopter runs the original's rules, so it is the original's.
    public func adopters(of variantID: String) -> [String] {
        let adopting = variants.filter { $0.adopted != nil && $0.id != variantID && resolved[$0.reference]?.rules.id == variantID }
        return Array(Set(adopting.flatMap(\.municipalities))).sorted()
    }

    /// Every definition an event can be decided by: the bases and every variant's version of its base.
    public var everyDefinition: [PathwayDefinition] {
        bases + governing.values.filter { $0.variant != nil }.map(\.definition)
    }

    /// The actor escalations go to for a case of `pathway` run under `variant`.
    public func escalationActor(pathway: String, variant: VariantReference?) -> String? {
        (variant.flatMap { governing[$0.description] } ?? governing[pathway])?.definition.escalationActor
    }
}

public struct RuleSetErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [RuleSetProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
