/// The answer to a citizen search by CPR.
public enum SearchResult: Sendable, Equatable {
    /// No citizen with that CPR is known.
    case notFound
    /// The citizen is known; these are the cases the viewer may see (possibly none).
    case found([CaseItem])
}
