import IndgangCore

/// An accepted message: its events, the entry to keep, and what the server needs to post them.
public struct MedComAcceptance: Sendable, Equatable {
    /// The Danish code as decided with the history (`STIN`, `RE_MORS`, `AN_STIN` …), for logs.
    public let code: String
    public let key: MedComEpisodeKey
    public let entry: MedComEpisodeEntry
    public let events: [MedComEventDraft]
    public let cpr: CPR
    /// The sender's SOR code: the server checks it belongs to the posting key's actor before anything else.
    public let senderSOR: String
}
