/// The contract's duplicate rule, as the open-case page explains it: the citizen already has an open case on
/// that pathway.
public enum DuplicateCase: Sendable, Equatable {
    /// The viewer may see that case (`existing_case_id`): link to it.
    case visible(caseID: String)
    /// Held by an organisation the viewer may not learn (`contact_requested: true`): it has been asked to make contact.
    case contactRequested
}
