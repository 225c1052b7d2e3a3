import Foundation
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// The caseworker's inbox, handoff decisions, citizen search and notifications.
extension ConsoleController {
    func addCaseworkerRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("inbox", use: inbox)
        console.post("handoffs/{id}/accept") { request, context in try await decide(.accept, request, context) }
        console.post("handoffs/{id}/reject") { request, context in try await decide(.reject, request, context) }
        console.post("handoffs/{id}/cancel") { request, context in try await decide(.cancel, request, context) }
        console.get("search", use: searchPage)
        console.post("search", use: search)
        console.get("notifications", use: notificationsPage)
        console.post("notifications/{id}/read", use: markRead)
    }

    /// Incoming handoffs (overdue first), the outgoing ones still waiting and the rejected ones; with
    /// `?fragment=incoming` only the incoming section, for the console script's live refresh.
    func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        // A page of each list, most urgent first (overdue, then by due time), and the totals beside them.
        let pageNumber = { (name: String) in max(1, min(10_000, request.uri.queryParameters.get(name).flatMap { Int($0) } ?? 1)) }
        let (incomingPage, outgoingPage) = (pageNumber("incoming_page"), pageNumber("outgoing_page"))
        var incomingOpen = HandoffListQuery(direction: .incoming, limit: InboxPaging.pageSize)
        incomingOpen.openOnly = true
        incomingOpen.dueFirst = true
        incomingOpen.offset = (incomingPage - 1) * InboxPaging.pageSize
        var outgoingOpen = incomingOpen
        outgoingOpen.direction = .outgoing
        outgoingOpen.offset = (outgoingPage - 1) * InboxPaging.pageSize
        // The page's reads are independent: they run at once, each on a pooled connection, so the page waits for the
        // slowest of them rather than for their sum. The three lists are one read with one audit statement.
        async let directoryRead = actorDirectory()
        async let listsRead = handoffs.lists(
            [incomingOpen, outgoingOpen, HandoffListQuery(direction: .outgoing, status: .rejected, limit: 20)], access: access)
        async let countsRead = handoffs.openCounts(upTo: InboxPaging.countCap, access: access)
        async let unreadRead = notifications.unreadCount(limit: 100, access: access)
        let (directory, lists, counts, unread) = try await (directoryRead, listsRead, countsRead, unreadRead)
        let (incoming, outgoing, rejected) = (lists[0].items, lists[1].items, lists[2].items)
        let item = { (record: HandoffRecord) in handoffItem(record, directory: directory) }
        let model = InboxPage(
            context: try await pageContext(context, access: access, directory: directory, unread: unread), incoming: incoming.map(item),
            outgoing: outgoing.map(item), rejected: rejected.map(item),
            paging: InboxPaging(
                incomingPage: incomingPage, outgoingPage: outgoingPage, incomingTotal: counts.incoming, overdueTotal: counts.incomingOverdue,
                outgoingTotal: counts.outgoing, moreIncoming: lists[0].nextCursor != nil, moreOutgoing: lists[1].nextCursor != nil))
        if request.uri.queryParameters.get("fragment") == "incoming" {
            return ConsoleResponses.html(try renderer.render(.inboxIncoming, of: model))
        }
        return try page(model)
    }

    func decide(_ action: HandoffAction, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let back = Self.referringPage(request, fallback: "/console/inbox")
        return try await act(request, context, roles: [.caseworker], back: back, formID: "\(action.rawValue)-\(id.wire)") { form, access in
            var reason: String?
            if action == .reject {
                var validation = Validation()
                reason = validation.text(form["reason"], field: "reason", required: true, maxLength: 2000)
                try validation.check()
            }
            _ = try await handoffs.decide(action, handoffID: id, reason: reason, access: access)
            let done =
                switch action {
                case .accept: "Overdragelsen er accepteret. Sagen er nu jeres."
                case .reject: "Overdragelsen er afvist. Afsenderen har fået besked med begrundelsen."
                case .cancel: "Overdragelsen er annulleret."
                }
            return (back, .status(done))
        }
    }

    func searchPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        return try page(SearchPage(context: try await pageContext(context, access: access)))
    }

    /// The CPR is posted, never put in a URL; the answer is the page itself (audited as the API's search).
    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        let form = try await ConsoleForm.read(request, context: context)
        var pageContext = try await pageContext(context, access: access)
        let cpr: CPR
        do {
            cpr = try CPRField.parse(form["cpr"])
        } catch let error as AppError {
            pageContext.flash = .problem(FormProblem(field: "cpr", message: ConsoleMessages.danish(error.errors.first?.message ?? error.detail), form: "search"))
            return try page(SearchPage(context: pageContext), status: .unprocessableContent)
        }
        let directory = try await actorDirectory()
        let found = try await cases.searchCitizen(cpr: cpr, access: access)
        let result: SearchResult = found.map { .found($0.cases.map { caseItem($0, directory: directory) }) } ?? .notFound
        return try page(SearchPage(context: pageContext, result: result))
    }

    func notificationsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        let directory = try await actorDirectory()
        let items = try await notifications.inbox(unreadOnly: false, cursor: nil, limit: 100, access: access).items.map { record in
            NotificationItem(
                id: record.id.wire, kind: record.kind, caseID: record.caseID?.wire, handoffID: record.handoffID?.wire, createdAt: record.createdAt,
                readAt: record.readAt, data: Self.stringValues(record.data))
        }
        return try page(
            NotificationsPage(
                context: try await pageContext(context, access: access, directory: directory), notifications: items,
                actors: Array(directory.values)))
    }

    func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        return try await act(request, context, roles: [.caseworker], back: "/console/notifications") { _, access in
            _ = try await notifications.markRead(id: id, access: access)
            return ("/console/notifications", .status("Notifikationen er markeret som læst."))
        }
    }

    // MARK: - View models from records

    func handoffItem(_ record: HandoffRecord, directory: [String: ActorRef]) -> HandoffItem {
        HandoffItem(
            id: record.id.wire, caseID: record.caseID.wire, pathway: pathwayTitle(record.pathway),
            from: directory[record.fromActor] ?? ActorRef(slug: record.fromActor, name: record.fromActor),
            to: directory[record.toActor] ?? ActorRef(slug: record.toActor, name: record.toActor), status: record.status.rawValue,
            reason: record.reason, requestedAt: record.requestedAt, dueAt: record.dueAt, decidedAt: record.decidedAt,
            decisionReason: record.decisionReason)
    }

    func caseItem(_ record: CaseRecord, directory: [String: ActorRef]) -> CaseItem {
        CaseItem(
            id: record.id.wire, pathway: pathwayTitle(record.pathway), status: record.status.rawValue,
            responsible: directory[record.responsibleActor] ?? ActorRef(slug: record.responsibleActor, name: record.responsibleActor),
            openedAt: record.openedAt, closedAt: record.closedAt, summary: record.summary, flags: record.flags,
            pendingHandoff: record.pendingHandoff.map { handoffItem($0, directory: directory) })
    }

    /// A stored JSON object's values as strings (other values as their JSON text).
    static func stringValues(_ json: String) -> [String: String] {
        guard case .object(let object) = AnyJSON(storedText: json) else { return [:] }
        return object.compactMapValues { value in
            switch value {
            case .string(let text): return text
            case .null: return nil
            default: return (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? nil
            }
        }
    }
}
