import HTTPTypes

extension HTTPField.Name {
    /// Echoes the request id, so a user can quote it when reporting a problem.
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// Why personal data is being used; recorded in the audit log.
    static let xPurpose = HTTPField.Name("X-Purpose")!
}
