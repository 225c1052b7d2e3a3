/// One version of one variant: `hillerod-subacute@1`.
public struct VariantReference: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let id: String
    public let version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    /// Parses `id@version`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let version = Int(parts[1]), version >= 1, String(version) == parts[1] else { return nil }
        self.init(id: String(parts[0]), version: version)
    }

    public var description: String { "\(id)@\(version)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.id, lhs.version) < (rhs.id, rhs.version) }
}
