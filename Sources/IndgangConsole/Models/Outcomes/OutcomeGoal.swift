/// A pathway's goal for a group (`goal: {target, direction, status}`).
public struct OutcomeGoal: Sendable, Equatable {
    public var target: Double
    /// `below` or `above`.
    public var direction: String
    /// `met`, `not_met` or `undetermined`.
    public var status: String

    public init(target: Double, direction: String, status: String) {
        self.target = target
        self.direction = direction
        self.status = status
    }

    var text: String {
        "\(DanishLabels.goalDirection(direction)) \(DanishFormat.percent(target)): \(DanishLabels.goalStatus(status))"
    }
}
