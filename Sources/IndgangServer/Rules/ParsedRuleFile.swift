import IndgangCore

/// What one rule file declares: a base pathway, or one version of a local variant with the lines of its keys
/// (problems found when the files are checked together point at them).
enum ParsedRuleFile {
    case base(PathwayDefinition)
    case variant(PathwayVariant, lines: [String: Int])
}
