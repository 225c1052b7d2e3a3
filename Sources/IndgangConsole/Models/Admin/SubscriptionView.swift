struct SubscriptionView: Sendable {
    let id: String
    let actor: String
    let url: String
    let kindsText: String
    let activeLabel: String
    let createdText: String
    let deliveries: [DeliveryRow]
    let hasDeliveries: Bool

    init(_ subscription: AdminSubscription) {
        id = subscription.id
        actor = subscription.actor
        url = subscription.url
        kindsText = subscription.kinds.isEmpty ? "Alle" : subscription.kinds.map(DanishLabels.notificationKind).joined(separator: ", ")
        activeLabel = subscription.active ? "Aktiv" : "Sat på pause"
        createdText = DanishFormat.dateTime(subscription.createdAt)
        deliveries = subscription.deliveries.map(DeliveryRow.init)
        hasDeliveries = !deliveries.isEmpty
    }
}
