import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/subscriptions` and `/v1/deliveries`: webhook subscriptions (integration or admin).
struct SubscriptionsController {
    let subscriptions: any SubscriptionRepository
    let urlGuard: WebhookURLGuard

    static let kinds = NotificationKind.allCases.map(\.rawValue)

    struct CreateRequest: Decodable {
        let url: String?
        let kinds: [String]?
        let actor: String?
    }

    struct UpdateRequest: Decodable {
        let active: Bool?
        let url: String?
        let kinds: [String]?
    }

    struct SubscriptionDTO: ResponseEncodable {
        let id: String
        let url: String
        let kinds: [String]
        let actor: String
        let active: Bool
        let created_at: Date

        init(_ record: SubscriptionRecord) {
            id = record.id.wire
            url = record.url
            kinds = record.kinds
            actor = record.actor
            active = record.active
            created_at = record.createdAt
        }
    }

    struct CreateResponse: ResponseEncodable {
        let id: String
        let secret: String
        let url: String
        let kinds: [String]
        let actor: String
        let active: Bool
        let created_at: Date
    }

    struct DeliveryDTO: ResponseEncodable {
        struct Attempt: Encodable, Sendable {
            let at: Date
            let status_code: Int?
            let error: String?
            let duration_ms: Int
        }

        let id: String
        let notification_id: String
        let kind: String
        let status: String
        let attempts: Int
        let next_attempt_at: Date?
        let last_status_code: Int?
        let last_error: String?
        let created_at: Date
        let delivered_at: Date?
        let attempt_log: [Attempt]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("subscriptions", use: create)
        routes.get("subscriptions", use: list)
        routes.get("subscriptions/{id}", use: get)
        routes.patch("subscriptions/{id}", use: update)
        routes.delete("subscriptions/{id}", use: delete)
        routes.get("subscriptions/{id}/deliveries", use: deliveries)
        routes.post("deliveries/{id}/redeliver", use: redeliver)
        return routes
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreateResponse> {
        let access = try context.authorize(request, .integration, .admin)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        var validation = Validation()
        let url = await validateURL(body.url, required: true, &validation)
        validateKinds(body.kinds, required: true, &validation)
        // An integration subscribes to its own actor's notifications; an admin names the actor.
        let actor = body.actor ?? access.principal.actorSlug
        if access.principal.role == .integration, let requested = body.actor, requested != access.principal.actorSlug {
            throw AppError(.forbidden, detail: "an integration may subscribe only to its own actor's notifications")
        }
        if actor == nil { validation.fail("actor", "is required for a key that is bound to no actor") }
        try validation.check()
        let (record, secret) = try await subscriptions.create(url: url!, kinds: Array(Set(body.kinds!)).sorted(), actorSlug: actor!, access: access)
        context.logger.info("webhook subscription created", metadata: ["subscription_id": "\(record.id)", "actor_slug": "\(record.actor)"])
        return EditedResponse(
            status: .created,
            response: CreateResponse(
                id: record.id.wire, secret: secret, url: record.url, kinds: record.kinds, actor: record.actor, active: record.active,
                created_at: record.createdAt))
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<SubscriptionDTO> {
        let access = try context.authorize(request, .integration, .admin)
        return ListDTO(items: try await subscriptions.list(actorSlug: try request.querySlug("actor"), access: access).map(SubscriptionDTO.init))
    }

    func get(_ request: Request, context: AppRequestContext) async throws -> SubscriptionDTO {
        let access = try context.authorize(request, .integration, .admin)
        return SubscriptionDTO(try await subscriptions.get(id: try context.parameters.uuid("id"), access: access))
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> SubscriptionDTO {
        let access = try context.authorize(request, .integration, .admin)
        let id = try context.parameters.uuid("id")
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        var validation = Validation()
        let url = body.url == nil ? nil : await validateURL(body.url, required: true, &validation)
        validateKinds(body.kinds, required: false, &validation)
        try validation.check()
        let kinds = body.kinds.map { Array(Set($0)).sorted() }
        let record = try await subscriptions.update(id: id, SubscriptionChange(active: body.active, url: url, kinds: kinds), access: access)
        context.logger.info("webhook subscription changed", metadata: ["subscription_id": "\(id)", "active": "\(record.active)"])
        return SubscriptionDTO(record)
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let access = try context.authorize(request, .integration, .admin)
        let id = try context.parameters.uuid("id")
        guard try await subscriptions.delete(id: id, access: access) else { throw AppError(.notFound, detail: "no such subscription") }
        context.logger.info("webhook subscription deleted", metadata: ["subscription_id": "\(id)"])
        return .noContent
    }

    private func validateURL(_ value: String?, required: Bool, _ validation: inout Validation) async -> String? {
        let url = validation.text(value, field: "url", required: required, maxLength: 2000)
        if let url, let problem = await urlGuard.problem(with: url) { validation.fail("url", problem) }
        return url
    }

    private func validateKinds(_ kinds: [String]?, required: Bool, _ validation: inout Validation) {
        guard let kinds else {
            if required { validation.fail("kinds", "is required") }
            return
        }
        if kinds.isEmpty { validation.fail("kinds", "must name at least one kind") }
        for kind in kinds where !Self.kinds.contains(kind) { validation.fail("kinds", "\(kind) is not one of \(Self.kinds.joined(separator: ", "))") }
    }

    func deliveries(_ request: Request, context: AppRequestContext) async throws -> ListDTO<DeliveryDTO> {
        let access = try context.authorize(request, .integration, .admin)
        let status = request.queryValue("status")
        if let status, !["pending", "delivered", "failed"].contains(status) {
            throw AppError.invalid(field: "status", "must be one of pending, delivered, failed")
        }
        var cursor: DeliveryCursor?
        if let text = request.queryValue("cursor") {
            guard let decoded = Cursor.decode(text).flatMap(DeliveryCursor.init) else { throw AppError.invalid(field: "cursor", "is not a cursor this API returned") }
            cursor = decoded
        }
        let limit = try request.pageLimit()
        let records = try await subscriptions.deliveries(
            subscriptionID: try context.parameters.uuid("id"), status: status, cursor: cursor, limit: limit + 1, access: access)
        let page = Page(fetched: records, limit: limit) { $0.cursor?.description ?? "" }
        return ListDTO(page) { record in
            DeliveryDTO(
                id: record.id.wire, notification_id: record.notificationID.wire, kind: record.kind, status: record.status, attempts: record.attempts,
                next_attempt_at: record.nextAttemptAt, last_status_code: record.lastStatusCode, last_error: record.lastError,
                created_at: record.createdAt, delivered_at: record.deliveredAt,
                attempt_log: record.attemptLog.map { .init(at: $0.at, status_code: $0.statusCode, error: $0.error, duration_ms: $0.durationMilliseconds) })
        }
    }

    func redeliver(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let access = try context.authorize(request, .integration, .admin)
        guard try await subscriptions.redeliver(id: try context.parameters.uuid("id"), access: access) else {
            throw AppError(.notFound, detail: "no such delivery")
        }
        return .accepted
    }
}
