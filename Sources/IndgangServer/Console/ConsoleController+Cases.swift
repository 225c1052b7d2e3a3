import Foundation
import Hummingbird
import IndgangConsole
import IndgangCore
import IndgangStore

/// Cases: the list, a case's page with its forms, opening a case, and showing the CPR on purpose.
extension ConsoleController {
    func addCaseRoutes(to console: RouterGroup<AppRequestContext>) {
        console.get("cases", use: casesPage)
        console.get("cases/new", use: newCasePage)
        console.post("cases", use: openCase)
        console.get("cases/{id}", use: casePage)
        console.post("cases/{id}/handoffs", use: requestHandoff)
        console.post("cases/{id}/close", use: closeCase)
        console.post("cases/{id}/summary", use: editSummary)
        console.post("cases/{id}/notes", use: addNote)
        console.post("cases/{id}/citizen", use: revealCitizen)
    }

    /// The viewer's actor's cases, filtered by a GET form (filters are not personal data).
    func casesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        let query = request.uri.queryParameters
        let pathway = query.get("pathway").flatMap { id in pathways.definitions.contains { $0.id == id } ? id : nil }
        let status = query.get("status").flatMap(CaseStatus.init(rawValue:))
        let filter = CaseFilter(
            pathway: pathway, status: query.get("status") == nil ? "open" : status?.rawValue, overdue: query.get("overdue") != nil,
            flagged: query.get("flagged") != nil)
        let directory = try await actorDirectory()
        let cursor = query.get("cursor").flatMap(UUID.init(uuidString:))
        let listed = try await cases.list(
            CaseListQuery(status: filter.status.flatMap(CaseStatus.init(rawValue:)), pathway: pathway, cursor: cursor, limit: 100), access: access)
        // The next page keeps the filters (none of them personal data).
        let nextPageHref = listed.nextCursor.map { next in
            var parameters = [("status", filter.status ?? ""), ("cursor", next)]
            if let pathway { parameters.append(("pathway", pathway)) }
            if filter.overdue { parameters.append(("overdue", "on")) }
            if filter.flagged { parameters.append(("flagged", "on")) }
            return "/console/cases?" + parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }
        let now = Date()
        let items = listed.items.map { caseItem($0, directory: directory) }.filter { item in
            (!filter.overdue || item.pendingHandoff.map { $0.status == "overdue" || $0.dueAt <= now } == true)
                && (!filter.flagged || !item.flags.isEmpty)
        }
        return try page(
            CasesPage(
                context: try await pageContext(context, access: access, directory: directory), filter: filter, pathways: pathwayChoices(),
                cases: items, nextPageHref: nextPageHref))
    }

    func casePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        return try await renderCase(try context.parameters.uuid("id"), context: context, access: access)
    }

    /// The case page; `revealedCPR` only in the answer to the reveal form, `summaryDraft` after a refused edit.
    func renderCase(
        _ id: UUID, context: AppRequestContext, access: AccessContext, flash: Flash? = nil, revealedCPR: String? = nil, summaryDraft: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let record = try await cases.get(id: id, access: access)
        let timeline = try await cases.timeline(caseID: id, cursor: nil, limit: 500, access: access).items
        let directory = try await actorDirectory()
        var pageContext = try await pageContext(context, access: access, directory: directory)
        if let flash { pageContext.flash = flash }
        let detail = CaseDetail(
            id: record.id.wire, pathway: pathwayTitle(record.pathway), status: record.status.rawValue,
            responsible: directory[record.responsibleActor] ?? ActorRef(slug: record.responsibleActor, name: record.responsibleActor),
            openedAt: record.openedAt, closedAt: record.closedAt, outcome: record.closeOutcome?.rawValue, summary: record.summary,
            version: record.version, flags: record.flags, externalRef: record.externalRef,
            pendingHandoff: record.pendingHandoff.map { handoffItem($0, directory: directory) })
        let items = timeline.map { entry in
            TimelineItem(
                at: entry.at, kind: entry.kind, actor: entry.actor.map { directory[$0] ?? ActorRef(slug: $0, name: $0) },
                data: Self.stringValues(entry.data))
        }
        let model = CasePage(
            context: pageContext, detail: detail, timeline: items, actors: directory.values.sorted { $0.name < $1.name }, revealedCPR: revealedCPR,
            summaryDraft: summaryDraft)
        return try page(model, status: status)
    }

    func newCasePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        return try page(NewCasePage(context: try await pageContext(context, access: access), pathways: pathwayChoices()))
    }

    /// Opens a case; a refused field or a duplicate answers with the form itself (the CPR stays in the body).
    func openCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        let form = try await ConsoleForm.read(request, context: context)
        let values = NewCaseValues(cpr: form["cpr"] ?? "", pathway: form["pathway"], summary: form["summary"] ?? "")
        var pageContext = try await pageContext(context, access: access)
        do {
            var validation = Validation()
            var cpr: CPR?
            do { cpr = try CPRField.parse(form["cpr"]) } catch let error as AppError { error.errors.forEach { validation.fail($0.field, $0.message) } }
            let pathway = form["pathway"]
            if let pathway, !pathways.definitions.contains(where: { $0.id == pathway }) {
                validation.fail("pathway", "is not a known pathway")
            } else if pathway == nil {
                validation.fail("pathway", "is required")
            }
            let summary = validation.text(form["summary"], field: "summary", required: false, maxLength: 4000) ?? ""
            try validation.check()
            let record = try await cases.open(OpenCaseCommand(cpr: cpr!, pathway: pathway!, summary: summary, externalRef: nil), access: access)
            if let token = context.console?.token {
                try await sessions.setFlash(token: token, String(decoding: try JSONEncoder().encode(StoredFlash(.status("Sagen er oprettet."))), as: UTF8.self))
            }
            return ConsoleResponses.seeOther("/console/cases/\(record.id.wire)")
        } catch IndgangError.duplicateCase(_, let visible) {
            let duplicate: DuplicateCase = visible.map { .visible(caseID: $0.wire) } ?? .contactRequested
            return try page(NewCasePage(context: pageContext, pathways: pathwayChoices(), values: values, duplicate: duplicate), status: .conflict)
        } catch let error as AppError where error.status == .unprocessableContent {
            let issue = error.errors.first ?? FieldIssue(field: "cpr", message: error.detail)
            pageContext.flash = .problem(FormProblem(field: issue.field, message: ConsoleMessages.danish(issue.message), form: "open-case"))
            return try page(NewCasePage(context: pageContext, pathways: pathwayChoices(), values: values), status: .unprocessableContent)
        } catch let error as IndgangError {
            let problem = AppError(error)
            guard (400..<500).contains(problem.status.code) else { throw error }
            if let issue = problem.errors.first {
                pageContext.flash = .problem(FormProblem(field: issue.field, message: ConsoleMessages.danish(issue.message), form: "open-case"))
            } else {
                pageContext.flash = .alert(ConsoleResponses.message(for: problem).1)
            }
            return try page(NewCasePage(context: pageContext, pathways: pathwayChoices(), values: values), status: problem.status)
        }
    }

    func requestHandoff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let page = "/console/cases/\(id.wire)"
        return try await act(request, context, roles: [.caseworker], back: page, formID: "handoff") { form, access in
            var validation = Validation()
            let receiver = validation.text(form["to_actor"], field: "to_actor", required: true, maxLength: 63)
            let reason = validation.text(form["reason"], field: "reason", required: true, maxLength: 2000)
            try validation.check()
            _ = try await handoffs.request(caseID: id, toActor: receiver!, reason: reason!, dueAt: nil, access: access)
            return (page, .status("Overdragelsen er sendt. I har ansvaret, indtil modtageren accepterer."))
        }
    }

    func closeCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let page = "/console/cases/\(id.wire)"
        return try await act(request, context, roles: [.caseworker], back: page, formID: "close") { form, access in
            var validation = Validation()
            let outcome: CloseOutcome? = validation.oneOf(form["outcome"], field: "outcome", among: CloseOutcome.chosen)
            let note = validation.text(form["note"], field: "note", required: false, maxLength: 4000)
            try validation.check()
            _ = try await cases.close(id: id, outcome: outcome!, note: note, access: access)
            return (page, .status("Sagen er lukket."))
        }
    }

    /// A stale `version` (someone saved in between) answers with the page, the current text and the viewer's draft.
    func editSummary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let page = "/console/cases/\(id.wire)"
        let access = try access(request, context, .caseworker)
        let form = try await ConsoleForm.read(request, context: context)
        var validation = Validation()
        let summary = validation.text(form["summary"], field: "summary", required: false, maxLength: 4000) ?? ""
        guard let version = form["version"].flatMap(Int.init) else {
            validation.fail("version", "is required")
            return try await renderCase(
                id, context: context, access: access, flash: .problem(FormProblem(field: "version", message: ConsoleMessages.danish("is required"), form: "summary")),
                status: .unprocessableContent)
        }
        do {
            try validation.check()
            _ = try await cases.updateSummary(id: id, summary: summary, expectedVersion: version, access: access)
        } catch IndgangError.preconditionFailed {
            return try await renderCase(
                id, context: context, access: access,
                flash: .alert("Resuméet er ændret af en anden, mens du skrev. Din tekst står i feltet; se den gældende tekst ovenfor og gem igen."),
                summaryDraft: summary, status: .conflict)
        } catch let error as AppError where error.status == .unprocessableContent {
            let issue = error.errors.first ?? FieldIssue(field: "summary", message: error.detail)
            return try await renderCase(
                id, context: context, access: access, flash: .problem(FormProblem(field: issue.field, message: ConsoleMessages.danish(issue.message), form: "summary")),
                summaryDraft: summary, status: .unprocessableContent)
        } catch let error as IndgangError {
            // Closed meanwhile, or no longer ours: say so on the case page, with the draft kept.
            let problem = AppError(error)
            guard (400..<500).contains(problem.status.code), problem.status != .notFound else { throw error }
            return try await renderCase(
                id, context: context, access: access, flash: .alert(ConsoleResponses.message(for: problem).1), summaryDraft: summary, status: problem.status)
        }
        if let token = context.console?.token {
            try await sessions.setFlash(token: token, String(decoding: try JSONEncoder().encode(StoredFlash(.status("Resuméet er gemt."))), as: UTF8.self))
        }
        return ConsoleResponses.seeOther(page)
    }

    func addNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.uuid("id")
        let page = "/console/cases/\(id.wire)"
        return try await act(request, context, roles: [.caseworker], back: page, formID: "note") { form, access in
            var validation = Validation()
            let text = validation.text(form["note"], field: "note", required: true, maxLength: 4000)
            try validation.check()
            _ = try await cases.addNote(caseID: id, text: text!, access: access)
            return (page, .status("Notatet er tilføjet."))
        }
    }

    /// Shows the CPR in this answer only (audited as `citizen.reveal`); never stored in the session or a URL.
    func revealCitizen(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try access(request, context, .caseworker)
        _ = try await ConsoleForm.read(request, context: context)
        let id = try context.parameters.uuid("id")
        let revealed = try await cases.revealCitizen(caseID: id, access: access)
        return try await renderCase(id, context: context, access: access, revealedCPR: revealed.cpr.formatted)
    }
}
