/// Something wrong with how rule files fit together (a variant of an unknown base, an overlap, a cycle), named
/// by the variant version and the field it is about, so the file reader can point at the line.
public struct RuleSetProblem: Sendable, Equatable, CustomStringConvertible {
    public let variant: VariantReference
    /// The rule file key the problem is about: `extends`, `adopts`, `overrides.<parameter>`, `municipalities`, …
    public let field: String
    public let message: String

    public init(variant: VariantReference, field: String, message: String) {
        self.variant = variant
        self.field = field
        self.message = message
    }

    public var description: String { "\(variant) \(field): \(message)" }
}
