import Foundation

/// A webhook subscription with its latest deliveries.
public struct AdminSubscription: Sendable, Equatable {
    public var id: String
    public var actor: String
    public var url: String
    public var kinds: [String]
    public var active: Bool
    public var createdAt: Date
    public var deliveries: [AdminDelivery]

    public init(id: String, actor: String, url: String, kinds: [String], active: Bool, createdAt: Date, deliveries: [AdminDelivery] = []) {
        self.id = id
        self.actor = actor
        self.url = url
        self.kinds = kinds
        self.active = active
        self.createdAt = createdAt
        self.deliveries = deliveries
    }
}
