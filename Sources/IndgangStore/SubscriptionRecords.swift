import Foundation

public struct SubscriptionRecord: Sendable, Equatable {
    public let id: UUID
    public let url: String
    public let kinds: [String]
    public let actor: String
    public let createdAt: Date
}

public struct DeliveryRecord: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        public let at: Date
        public let statusCode: Int?
        public let error: String?
        public let durationMilliseconds: Int
    }

    /// Also the `webhook-id` header.
    public let id: UUID
    public let subscriptionID: UUID
    public let notificationID: UUID
    public let kind: String
    public let status: String
    /// Attempts since the delivery was (re)queued; the log keeps every attempt.
    public let attempts: Int
    public let nextAttemptAt: Date?
    public let lastStatusCode: Int?
    public let lastError: String?
    public let createdAt: Date
    public let deliveredAt: Date?
    public let attemptLog: [Attempt]
}

/// A delivery claimed for one attempt: where to send it, the secret to sign it with, and what to send.
public struct ClaimedDelivery: Sendable {
    public let id: UUID
    public let url: String
    public let secret: String
    public let attempt: Int
    public let kind: String
    public let createdAt: Date
    /// The notification as the payload's `data`: ids, slugs and kinds only.
    public let payload: [String: String]
}
