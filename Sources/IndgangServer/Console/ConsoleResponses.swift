import Foundation
import HTTPTypes
import Hummingbird
import IndgangConsole
import IndgangCore

/// HTML answers of the console: pages, redirects after a POST, and errors as pages (never problem+json).
enum ConsoleResponses {
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `303 See Other` to `location` (POST/redirect/GET).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// An error as a page in Danish: not logged in → the login page; otherwise a message with the status.
    static func errorPage(_ error: any Error, request: Request, context: AppRequestContext, renderer: ConsoleRenderer) -> Response {
        let problem = ProblemMiddleware<AppRequestContext>.problem(for: error, context: context)
        if problem.status == .unauthorized, request.method == .get, !request.uri.path.hasPrefix("/console/stream") {
            return seeOther("/console/login")
        }
        if problem.status.code >= 500 {
            context.logger.error("console request failed", metadata: ["error_type": "\(type(of: error))"])
        }
        let (heading, text) = message(for: problem)
        let page = MessagePage(
            context: PageContext(csrfToken: context.console?.csrfToken ?? "", viewer: viewer(context)), heading: heading,
            paragraphs: [text] + problem.errors.map { "\($0.field): \($0.message)" } + ["Fejlreference: \(context.id)"], links: [Choice(value: LayoutModel.home(for: context.principal?.role), label: "Til forsiden")])
        var response = html((try? renderer.render(page)) ?? "<!doctype html><title>Fejl</title><p>\(problem.status.code)</p>", status: problem.status)
        for field in problem.headers { response.headers[field.name] = field.value }  // Retry-After, Allow …
        return response
    }

    static func message(for problem: AppError) -> (String, String) {
        switch problem.status.code {
        case 401: ("Log ind igen", "Din session er udløbet eller afsluttet. Log ind igen.")
        case 403: ("Ikke tilladt", "Du har ikke adgang til dette, eller formularen var forældet. Genindlæs siden og prøv igen.")
        case 404: ("Ikke fundet", "Siden eller sagen findes ikke, eller du har ikke adgang til den.")
        case 409, 412: ("Konflikt", "Nogen har ændret det samme i mellemtiden. Genindlæs siden og prøv igen.")
        case 413: ("For stor", "Det indsendte var for stort.")
        case 400, 415, 422: ("Kunne ikke læses", "Det indsendte kunne ikke læses.")
        default: ("Der skete en fejl", "Der skete en fejl hos os. Prøv igen om lidt.")
        }
    }

    static func viewer(_ context: AppRequestContext) -> Viewer? {
        guard let principal = context.principal else { return nil }
        return Viewer(actorSlug: principal.actorSlug ?? "", actorName: principal.actorSlug ?? "Systemadministrator", role: principal.role)
    }
}
