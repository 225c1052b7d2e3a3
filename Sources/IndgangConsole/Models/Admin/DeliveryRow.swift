struct DeliveryRow: Sendable {
    let kindLabel: String
    let statusLabel: String
    let failed: Bool
    let attemptsText: String
    let lastResult: String
    let createdText: String
    let redeliverForm: FormModel

    init(_ delivery: AdminDelivery) {
        kindLabel = DanishLabels.notificationKind(delivery.kind)
        statusLabel = DanishLabels.deliveryStatus(delivery.status)
        failed = delivery.status == "failed"
        attemptsText = DanishFormat.integer(delivery.attempts)
        let code = delivery.lastStatusCode.map { "HTTP \($0)" }
        lastResult = [code, delivery.lastError].compactMap { $0 }.joined(separator: " – ")
        createdText = DanishFormat.dateTime(delivery.createdAt)
        redeliverForm = FormModel(
            id: "redeliver-" + delivery.id, action: "/console/admin/deliveries/\(ConsolePath.segment(delivery.id))/redeliver",
            submit: "Send igen", style: .secondary, submitContext: "leveringen af \(kindLabel) fra \(createdText)")
    }
}
