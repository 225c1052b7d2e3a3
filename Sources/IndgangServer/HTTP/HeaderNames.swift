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
    /// RFC 8288: where a CSV's definition is (the same query as JSON).
    static let link = HTTPField.Name("Link")!
    /// An outcome CSV's definition id, and a comparison's difference (the CSV itself is only the table).
    static let indgangDefinition = HTTPField.Name("Indgang-Definition")!
    static let indgangComparison = HTTPField.Name("Indgang-Comparison")!
}
