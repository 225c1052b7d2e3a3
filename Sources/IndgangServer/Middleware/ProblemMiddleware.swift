import Foundation
import HTTPTypes
import Hummingbird
import IndgangCore
import IndgangStore
import Logging

/// The outermost safety net: every error becomes problem+json. Expected errors keep their status; anything
/// unexpected is logged with the request id and answered 500 without internals.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.xRequestID] = context.id
            return response
        } catch {
            var response = Self.problem(for: error, context: context).response(requestID: context.id)
            response.headers[.xRequestID] = context.id
            return response
        }
    }

    static func problem(for error: any Error, context: Context) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as IndgangError:
            return AppError(error)
        case let error as HTTPError:
            if error.status == .notFound { return AppError(.notFound, detail: "no such resource") }
            return AppError(error.status, detail: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError where error.status.code < 500:
            return AppError(error.status, detail: error.status.reasonPhrase)
        case let error where DatabaseFailure(error) == .timedOut:
            // The statement or lock timeout (INDGANG_STATEMENT_TIMEOUT, INDGANG_LOCK_TIMEOUT): busy, not broken.
            context.logger.warning("database timeout", metadata: ["error_type": "\(type(of: error))"])
            var busy = AppError(.serviceUnavailable, detail: "the database did not answer in time; try again shortly")
            busy.headers[.retryAfter] = "5"
            return busy
        case let error where DatabaseFailure(error) == .unreachable:
            // Restarting, failing over, or a connection killed under the request: not broken for good, and the
            // transaction it ran in was rolled back (or, if it died in COMMIT, is safe to repeat: writes are idempotent
            // or refused as duplicates).
            context.logger.warning("database unreachable", metadata: ["error_type": "\(type(of: error))"])
            var unavailable = AppError(.serviceUnavailable, detail: "the database is not reachable right now; try again shortly")
            unavailable.headers[.retryAfter] = "5"
            return unavailable
        default:
            // Type only: an error's description could carry a bound parameter, i.e. personal data.
            context.logger.error("unexpected error", metadata: ["error_type": "\(type(of: error))"])
            return AppError(.internalServerError, detail: "an unexpected error occurred; quote the request id when reporting it")
        }
    }
}
