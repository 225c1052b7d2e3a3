struct DefinitionTerm: Sendable {
    let term: String
    let text: String
}
