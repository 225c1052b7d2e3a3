/// Why nothing is stored for a message.
public enum MedComIgnoreReason: Sendable, Equatable {
    /// The MessageHeader.id is already in the episode's history: answer with the first acknowledgement again.
    case duplicate
    /// By the server's rule the citizen can be on no pathway and in no figure on the event's date.
    case minimised
    /// The body is itself an acknowledgement.
    case acknowledgement
}
