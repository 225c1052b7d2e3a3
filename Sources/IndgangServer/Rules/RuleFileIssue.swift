/// One problem in a pathway rule file, located by line (1-based) for `indgang rules check`.
public struct RuleFileIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String { "\(file):\(line.map(String.init) ?? "-"): \(message)" }
}
