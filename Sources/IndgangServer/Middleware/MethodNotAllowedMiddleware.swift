import Foundation
import HTTPTypes
import Hummingbird
import Yams

/// A method that a documented path does not offer is `405 Method Not Allowed` with `Allow` (RFC 9110), not the
/// router's `404`: the paths and their methods are read from the served OpenAPI document, the contract itself.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    struct DocumentedPath: Sendable {
        /// The template's segments; `{name}` matches any one segment.
        let segments: [String]
        let methods: [String]

        func matches(_ path: String) -> Bool {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count == segments.count else { return false }
            return zip(segments, parts).allSatisfy { template, part in template.hasPrefix("{") || template == part }
        }
    }

    let paths: [DocumentedPath]

    init(openAPIDocument: Data) throws {
        let document = try Yams.load(yaml: String(decoding: openAPIDocument, as: UTF8.self)) as? [String: Any] ?? [:]
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        paths = ((document["paths"] as? [String: Any]) ?? [:]).map { path, operations in
            let offered = ((operations as? [String: Any]) ?? [:]).keys.filter(methods.contains).map { $0.uppercased() }
            return DocumentedPath(
                segments: path.split(separator: "/", omittingEmptySubsequences: true).map(String.init),
                methods: (offered.contains("GET") ? offered + ["HEAD"] : offered).sorted())
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let offered = Set(paths.filter { $0.matches(path) }.flatMap(\.methods)).sorted()
            guard !offered.isEmpty, !offered.contains(request.method.rawValue) else { throw error }
            var refusal = AppError(.methodNotAllowed, detail: "\(request.method.rawValue) is not offered on \(path); it offers \(offered.joined(separator: ", "))")
            refusal.headers[.allow] = offered.joined(separator: ", ")
            throw refusal
        }
    }
}
