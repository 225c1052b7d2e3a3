/// A hidden input other than the CSRF token (which every POST form gets from the layout).
struct HiddenField: Sendable {
    let name: String
    let value: String
}
