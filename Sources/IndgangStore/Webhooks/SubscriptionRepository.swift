import Foundation
import IndgangCore

/// Webhook subscriptions (secrets sealed at rest) and the delivery queue the database fills with them.
public protocol SubscriptionRepository: Sendable {
    /// Creates the subscription for `actorSlug`'s notifications; returns it with its secret (shown once).
    func create(url: String, kinds: [String], actorSlug: String, access: AccessContext) async throws -> (SubscriptionRecord, secret: String)
    /// An integration's actor's subscriptions, or (admin) all of them, optionally of one actor; newest first.
    func list(actorSlug: String?, access: AccessContext) async throws -> [SubscriptionRecord]
    /// One subscription the caller may manage; not found otherwise.
    func get(id: UUID, access: AccessContext) async throws -> SubscriptionRecord
    func update(id: UUID, _ change: SubscriptionChange, access: AccessContext) async throws -> SubscriptionRecord
    /// Deletes it (its delivery log is kept; nothing more is queued or sent); false when not the caller's.
    func delete(id: UUID, access: AccessContext) async throws -> Bool
    /// Newest first, in a total order (creation time, then id): deliveries made by one transaction share their
    /// creation time, so a cursor of the time alone would skip some (`DeliveryCursor`).
    func deliveries(subscriptionID: UUID, status: String?, cursor: DeliveryCursor?, limit: Int, access: AccessContext) async throws -> [DeliveryRecord]
    /// Queues a delivery again at once, keeping its id; answers false when it is not the caller's.
    func redeliver(id: UUID, access: AccessContext) async throws -> Bool

    /// Claims up to `limit` due deliveries for one attempt each (a lease of `lease`; a crashed sender's claims
    /// become due again when it runs out), at most `perSubscription` of one subscription and none of `excluding`
    /// (subscriptions whose receivers already hold that many of the sender's attempts: a receiver that hangs
    /// must not take every sender). Several replicas claim disjoint sets.
    func claimDue(limit: Int, lease: Duration, perSubscription: Int, excluding: [UUID]) async throws -> [ClaimedDelivery]
    /// Records an attempt: delivered, or due again after `retryAfter`, or failed (dead letter) when nil. Fenced
    /// on the claim: when the lease ran out and the delivery was claimed again meanwhile (or redelivered), a late
    /// failure changes nothing (the newer claim decides); a late success still marks the delivery delivered, as it was.
    func recordAttempt(
        id: UUID, claim: UUID, statusCode: Int?, error: String?, duration: Duration, delivered: Bool, retryAfter: Duration?) async throws
    /// Pending deliveries and the age of the oldest, for `/metrics`.
    func backlog() async throws -> (pending: Int, oldestAge: Double)
}
