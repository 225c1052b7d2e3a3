import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/handoffs`: the receiver accepts or rejects, the sender cancels; both see their lists.
struct HandoffsController {
    let handoffs: any HandoffRepository

    struct DecisionRequest: Decodable {
        let reason: String?
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("handoffs", use: list)
        routes.post("handoffs/{id}/accept") { try await decide(.accept, $0, $1) }
        routes.post("handoffs/{id}/reject") { try await decide(.reject, $0, $1) }
        routes.post("handoffs/{id}/cancel") { try await decide(.cancel, $0, $1) }
        return routes
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> ListDTO<HandoffDTO> {
        let access = try context.authorize(request, .caseworker)
        var query = HandoffListQuery(limit: try request.pageLimit())
        query.direction = try request.queryEnum("direction", as: HandoffListQuery.Direction.self)
        query.status = try request.queryEnum("status", as: HandoffStatus.self)
        query.cursor = try Cursor.decodeUUID(request.queryValue("cursor"))
        return ListDTO(try await handoffs.list(query, access: access), transform: HandoffDTO.init)
    }

    func decide(_ action: HandoffAction, _ request: Request, _ context: AppRequestContext) async throws -> HandoffDTO {
        let access = try context.authorize(request, .caseworker)
        let id = try context.parameters.uuid("id")
        // A reason is required to reject; accept and cancel may send one, or no body at all.
        var reason: String?
        if action == .reject || request.headers[.contentType] != nil {
            let body = try await request.decode(as: DecisionRequest.self, context: context)
            var validation = Validation()
            reason = validation.text(body.reason, field: "reason", required: action == .reject, maxLength: 2000)
            try validation.check()
        }
        let handoff = try await handoffs.decide(action, handoffID: id, reason: reason, access: access)
        return HandoffDTO(handoff)
    }
}
