/// What a variant changes in its base; nil leaves the base's value.
public struct VariantOverrides: Sendable, Equatable {
    public var handoffDue: DueRule?
    public var escalationActor: String?
    public var minimumAge: Int?
    public var maximumAge: Int?

    public init(handoffDue: DueRule? = nil, escalationActor: String? = nil, minimumAge: Int? = nil, maximumAge: Int? = nil) {
        self.handoffDue = handoffDue
        self.escalationActor = escalationActor
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }

    /// The parameters these overrides touch, to check against what the base allows.
    public var parameters: Set<PathwayParameter> {
        var touched: Set<PathwayParameter> = []
        if handoffDue != nil { touched.insert(.handoffDue) }
        if escalationActor != nil { touched.insert(.escalationActor) }
        if minimumAge != nil || maximumAge != nil { touched.insert(.eligibilityAge) }
        return touched
    }
}
