import Foundation

/// A timeline entry (`TimelineEntryDTO`): its `data` object with string values (other values as their JSON
/// text), and the acting actor's name.
public struct TimelineItem: Sendable, Equatable {
    public var at: Date
    public var kind: String
    /// Nil when the system itself acted (a deadline, a rule).
    public var actor: ActorRef?
    public var data: [String: String]

    public init(at: Date, kind: String, actor: ActorRef? = nil, data: [String: String] = [:]) {
        self.at = at
        self.kind = kind
        self.actor = actor
        self.data = data
    }
}
