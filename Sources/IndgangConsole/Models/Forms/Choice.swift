/// One entry of a list the server offers (pathways, actors, roles): the submitted value and its Danish label.
public struct Choice: Sendable, Equatable {
    public var value: String
    public var label: String

    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}
