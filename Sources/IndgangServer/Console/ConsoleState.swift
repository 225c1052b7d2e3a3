import Foundation
import IndgangConsole

/// What a `/console` request knows about its browser session.
struct ConsoleState: Sendable {
    /// The session cookie's token; nil before login.
    var token: String?
    /// The token every form of the page carries: the session's, or before login one bound to the pre-session cookie.
    var csrfToken: String
    /// The result of the previous POST, shown once.
    var flash: Flash?
    /// The pre-session cookie to set, when this request created it.
    var newPresession: String?
}

/// The flash as the session row stores it (JSON).
struct StoredFlash: Codable {
    var kind: String
    var message: String
    var field: String?
    var form: String?

    init(_ flash: Flash) {
        switch flash {
        case .status(let message): (kind, self.message) = ("status", message)
        case .alert(let message): (kind, self.message) = ("alert", message)
        case .problem(let problem): (kind, message, field, form) = ("problem", problem.message, problem.field, problem.form)
        }
    }

    var flash: Flash {
        switch kind {
        case "status": .status(message)
        case "problem": .problem(FormProblem(field: field ?? "", message: message, form: form))
        default: .alert(message)
        }
    }
}
