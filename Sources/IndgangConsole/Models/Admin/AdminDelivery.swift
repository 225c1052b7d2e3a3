import Foundation

/// One webhook delivery of a subscription (`GET /v1/subscriptions/{id}/deliveries`).
public struct AdminDelivery: Sendable, Equatable {
    public var id: String
    public var kind: String
    /// `pending`, `delivered`, `failed`.
    public var status: String
    public var attempts: Int
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var nextAttemptAt: Date?

    public init(
        id: String, kind: String, status: String, attempts: Int, lastStatusCode: Int? = nil, lastError: String? = nil, createdAt: Date,
        deliveredAt: Date? = nil, nextAttemptAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.nextAttemptAt = nextAttemptAt
    }
}
