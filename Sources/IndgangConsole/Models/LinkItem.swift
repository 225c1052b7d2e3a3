struct LinkItem: Sendable {
    let href: String
    let label: String
}
