import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/actors` and `/v1/keys`: organisation units and their API keys (admin), and the actor directory (any role).
struct ActorsController {
    let actors: any ActorRepository
    /// Emptied on revocation here and now, so this replica does not wait for the change notification.
    let principals: PrincipalCache

    struct CreateActorRequest: Decodable {
        let slug: String?
        let name: String?
        let kind: String?
        let municipality_code: String?
        let sor_code: String?
        let ean: String?
    }

    struct CreateKeyRequest: Decodable {
        let role: String?
        let label: String?
        let event_types: [String]?
    }

    struct IssuedKeyResponse: ResponseEncodable {
        let id: String
        let key: String
        let role: String
        let actor: String
        let label: String?
        let event_types: [String]?
    }

    struct KeyDTO: ResponseEncodable {
        let id: String
        let actor: String
        let role: String
        let label: String?
        /// What an integration key may post: its explicit grants or its actor kind's defaults.
        let event_types: [String]?
        let event_types_explicit: Bool?
        let created_at: Date
        let last_used_at: Date?
        let revoked_at: Date?

        init(_ record: KeyRecord) {
            id = record.id.wire
            actor = record.actorSlug
            role = record.role.rawValue
            label = record.label
            event_types = record.eventTypes?.map(\.rawValue)
            event_types_explicit = record.role == .integration ? record.eventTypesExplicit : nil
            created_at = record.createdAt
            last_used_at = record.lastUsedAt
            revoked_at = record.revokedAt
        }
    }

    struct RevokedKeyResponse: ResponseEncodable {
        /// The webhook subscriptions created with the key: still active until an admin pauses or deletes them.
        let subscriptions: [String]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("actors", use: create)
        routes.get("actors", use: list)
        routes.post("actors/{slug}/keys", use: issueKey)
        routes.get("keys", use: listKeys)
        routes.get("keys/{id}", use: getKey)
        routes.delete("keys/{id}", use: revokeKey)
        return routes
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ActorDTO> {
        _ = try context.authorize(request, .admin)
        let body = try await request.decode(as: CreateActorRequest.self, context: context)
        var validation = Validation()
        let slug = validation.text(body.slug, field: "slug", required: true, maxLength: 63)
        if let slug, !ActorSlug.isValid(slug) {
            validation.fail("slug", "must be 2–63 lower-case letters, digits or hyphens, not starting with a hyphen")
        }
        let name = validation.text(body.name, field: "name", required: true, maxLength: 200)
        let kind: ActorKind? = validation.oneOf(body.kind, field: "kind")
        let code = body.municipality_code
        if let code, !MunicipalityCode.isValid(code) {
            validation.fail("municipality_code", "must be three digits, e.g. \"101\"")
        } else if kind == .municipality, code == nil {
            validation.fail("municipality_code", "is required for a municipality")
        }
        if let sor = body.sor_code, !Self.digits(sor, 1...18) {
            validation.fail("sor_code", "must be a SOR code: 1–18 digits")
        }
        if let ean = body.ean, !Self.digits(ean, 13...13) {
            validation.fail("ean", "must be an EAN location number: 13 digits")
        }
        try validation.check()
        let actor = try await actors.create(
            NewActor(slug: slug!, name: name!, kind: kind!, municipalityCode: code, sorCode: body.sor_code, ean: body.ean))
        context.logger.info("actor created", metadata: ["actor_slug": "\(actor.slug)"])
        return EditedResponse(status: .created, headers: [.location: "/v1/actors/\(actor.slug)"], response: ActorDTO(actor))
    }

    /// Only ASCII digits, as many as `count` allows (SOR codes and EAN numbers).
    static func digits(_ text: String, _ count: ClosedRange<Int>) -> Bool {
        count.contains(text.utf8.count) && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<ActorDTO> {
        _ = try context.authorize(request, .caseworker, .coordinator, .integration, .admin)
        return ListDTO(items: try await actors.list().map(ActorDTO.init))
    }

    func issueKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<IssuedKeyResponse> {
        _ = try context.authorize(request, .admin)
        let slug = try context.parameters.require("slug")
        let body = try await request.decode(as: CreateKeyRequest.self, context: context)
        var validation = Validation()
        let role: Role? = validation.oneOf(body.role, field: "role")
        let label = validation.text(body.label, field: "label", required: false, maxLength: 200)
        var eventTypes: [EventType]?
        if let requested = body.event_types {
            if role != .integration { validation.fail("event_types", "can be granted to integration keys only") }
            var granted: Set<EventType> = []
            for text in requested {
                if let type = EventType(rawValue: text), EventAuthority.grantable.contains(type) {
                    granted.insert(type)
                } else {
                    validation.fail("event_types", "\(text) is not one of \(EventAuthority.grantable.map(\.rawValue).joined(separator: ", "))")
                }
            }
            eventTypes = granted.sorted { $0.rawValue < $1.rawValue }
        }
        try validation.check()
        let issued = try await actors.issueKey(actorSlug: slug, role: role!, label: label, eventTypes: eventTypes)
        context.logger.info("api key issued", metadata: ["key_id": "\(issued.id)", "actor_slug": "\(slug)", "key_role": "\(issued.role.rawValue)"])
        return EditedResponse(
            status: .created,
            response: IssuedKeyResponse(
                id: issued.id.wire, key: issued.key, role: issued.role.rawValue, actor: issued.actorSlug, label: issued.label,
                event_types: issued.eventTypes?.map(\.rawValue)))
    }

    func listKeys(_ request: Request, context: AppRequestContext) async throws -> ListDTO<KeyDTO> {
        _ = try context.authorize(request, .admin)
        return ListDTO(items: try await actors.keys(actorSlug: try request.querySlug("actor"), id: nil).map(KeyDTO.init))
    }

    func getKey(_ request: Request, context: AppRequestContext) async throws -> KeyDTO {
        _ = try context.authorize(request, .admin)
        guard let key = try await actors.keys(actorSlug: nil, id: try context.parameters.uuid("id")).first else {
            throw AppError(.notFound, detail: "no such key")
        }
        return KeyDTO(key)
    }

    func revokeKey(_ request: Request, context: AppRequestContext) async throws -> RevokedKeyResponse {
        _ = try context.authorize(request, .admin)
        let id = try context.parameters.uuid("id")
        guard let subscriptions = try await actors.revokeKey(id: id) else { throw AppError(.notFound, detail: "no such key") }
        principals.invalidate()
        context.logger.info("api key revoked", metadata: ["key_id": "\(id)", "subscriptions": "\(subscriptions.count)"])
        return RevokedKeyResponse(subscriptions: subscriptions.map(\.wire))
    }
}
