/// Why a body is not JSON, with the byte offset where reading stopped.
struct JSONSyntaxError: Error, Equatable, Sendable {
    let offset: Int
    let message: String
}
