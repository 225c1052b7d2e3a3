import Foundation
import Hummingbird
import IndgangCore
import IndgangStore

/// `/v1/notifications`: the caller's actor's inbox.
struct NotificationsController {
    let notifications: any NotificationRepository

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("notifications", use: inbox)
        routes.post("notifications/{id}/read", use: markRead)
        return routes
    }

    func inbox(_ request: Request, context: AppRequestContext) async throws -> ListDTO<NotificationDTO> {
        let access = try context.authorize(request, .caseworker)
        let unread = try request.queryFlag("unread")
        let page = try await notifications.inbox(
            unreadOnly: unread, cursor: try Cursor.decodeInt(request.queryValue("cursor")), limit: try request.pageLimit(), access: access)
        return ListDTO(page, transform: NotificationDTO.init)
    }

    func markRead(_ request: Request, context: AppRequestContext) async throws -> NotificationDTO {
        let access = try context.authorize(request, .caseworker)
        return NotificationDTO(try await notifications.markRead(id: try context.parameters.uuid("id"), access: access))
    }
}
