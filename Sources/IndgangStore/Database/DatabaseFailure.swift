import PostgresNIO

/// What a database error means to a caller that can only try again: the server was too slow (a statement or
/// lock timeout) or could not be reached (down, restarting, failing over, a connection that died). Anything
/// else is not a failure of the database's availability and is left to the caller.
public enum DatabaseFailure: Sendable, Equatable {
    case timedOut
    case unreachable

    public init?(_ error: any Error) {
        if error is Database.ConnectionLost {
            self = .unreachable
            return
        }
        if error is Deadline.Exceeded {
            self = .timedOut
            return
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                self = .unreachable
                return
            case .queryCancelled:
                self = .timedOut
                return
            default:
                break
            }
            switch error.sqlState {
            // The statement or lock timeout (INDGANG_STATEMENT_TIMEOUT, INDGANG_LOCK_TIMEOUT): busy, not broken; and a
            // serialization failure or deadlock that was still there after the retries.
            case "57014", "55P03": self = .timedOut
            case let state? where Database.transientStates.contains(state): self = .timedOut
            // 53…: insufficient resources (disk full, out of memory, too many connections).
            case let state? where state.hasPrefix("53"): self = .unreachable
            // 57P01–03: shut down by the administrator, crashed, starting up; 25006: a write on a server that is
            // (now) a standby; 08…: connection exceptions.
            case "57P01", "57P02", "57P03", "25006": self = .unreachable
            case let state? where state.hasPrefix("08"): self = .unreachable
            default: return nil
            }
            return
        }
        // The pool's own error (its module is not a public product): no connection could be made for a while.
        guard "\(type(of: error))" == "ConnectionPoolError" else { return nil }
        self = .unreachable
    }
}
