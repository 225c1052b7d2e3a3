import Foundation

public struct TimelineEntry: Sendable, Equatable {
    public let sequence: Int64
    public let at: Date
    public let kind: String
    public let actor: String?
    /// The entry's details as a JSON object.
    public let data: String
}
