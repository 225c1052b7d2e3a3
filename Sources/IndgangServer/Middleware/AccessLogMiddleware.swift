import Foundation
import Hummingbird
import Logging

/// One log line per request with the route template (never the concrete path, query or body), the status
/// and the duration: enough to operate the service, nothing that identifies a citizen. At debug level also one
/// when a request starts, so that one which never ends can be found.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        context.logger.debug("request started", metadata: ["method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")"])
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)",
                "route": "\(context.endpointPath ?? "unmatched")",
                "status": "\(response.status.code)",
                "duration_ms": "\(String(format: "%.1f", milliseconds))",
            ])
        return response
    }
}
