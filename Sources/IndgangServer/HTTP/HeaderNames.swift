import HTTPTypes

extension HTTPField.Name {
    /// Echoes the request id, so a user can quote it when reporting a problem.
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// Why personal data is being used; recorded in the audit log.
    static let xPurpose = HTTPField.Name("X-Purpose")!
    /// Where a reconnecting Server-Sent Events client left off.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells reverse proxies (nginx) not to buffer the event stream.
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
    /// Fetch metadata: whether a browser's request comes from this site (console CSRF defence).
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
