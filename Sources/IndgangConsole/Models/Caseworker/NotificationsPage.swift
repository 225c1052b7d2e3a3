/// `GET /console/notifications`: the actor's notifications, newest first, unread ones marked, each with a
/// "mark as read" form (`POST /console/notifications/{id}/read`).
public struct NotificationsPage: ConsolePage {
    public static let template = "notifications"
    public let layout: LayoutModel
    let rows: [NotificationRow]
    let hasRows: Bool
    let unreadText: String
    let hasNextPage: Bool
    let nextPageHref: String

    /// `actors`: names for the slugs in the notifications' data.
    public init(context: PageContext, notifications: [NotificationItem], actors: [ActorRef] = [], nextPageHref: String? = nil) {
        let names = Dictionary(actors.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        rows = notifications.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map { NotificationRow($0, actorNames: names) }
        hasRows = !rows.isEmpty
        let unread = context.unreadCount
        unreadText = unread == 0 ? "Ingen ulæste." : "\(DanishFormat.integer(unread)) ulæste."
        hasNextPage = nextPageHref != nil
        self.nextPageHref = nextPageHref ?? ""
        layout = LayoutModel(context: context, heading: "Notifikationer", section: .notifications)
    }
}
