import Foundation
import IndgangCore

public struct SubscriptionRecord: Sendable, Equatable {
    public let id: UUID
    public let url: String
    public let kinds: [String]
    public let actor: String
    public let createdAt: Date
    /// A paused subscription queues nothing.
    public var active: Bool = true
    /// The key that created it (its revocation lists the subscription).
    public var createdByKey: UUID? = nil
}

/// What `PATCH /v1/subscriptions/{id}` changes; nil leaves a field as it is.
public struct SubscriptionChange: Sendable {
    public var active: Bool?
    public var url: String?
    public var kinds: [String]?

    public init(active: Bool? = nil, url: String? = nil, kinds: [String]? = nil) {
        self.active = active
        self.url = url
        self.kinds = kinds
    }
}

/// Where a page of deliveries ends: the last one's creation time in whole microseconds (as PostgreSQL stores it,
/// so no rounding) and its id. Rendered `micros.id`.
public struct DeliveryCursor: Sendable, Equatable, CustomStringConvertible {
    public let micros: Int64
    public let id: UUID

    public init(micros: Int64, id: UUID) {
        self.micros = micros
        self.id = id
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(micros: micros, id: id)
    }

    public var description: String { "\(micros).\(id.lowercasedString)" }
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
    /// This delivery as the next page's cursor.
    public var cursor: DeliveryCursor? = nil
}

/// A delivery claimed for one attempt: where to send it, the secret to sign it with, and what to send.
public struct ClaimedDelivery: Sendable {
    public let id: UUID
    /// This claim's token: the attempt's result is recorded under it.
    public let claim: UUID
    public let subscriptionID: UUID
    public let url: String
    public let secret: String
    public let attempt: Int
    public let kind: String
    public let createdAt: Date
    /// The notification as the payload's `data`: ids, slugs and kinds only.
    public let payload: [String: String]
}
