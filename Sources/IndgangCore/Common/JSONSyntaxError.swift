/// Why a body is not JSON, with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Equatable, Sendable {
    public let offset: Int
    public let message: String
}
