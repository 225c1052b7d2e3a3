import Foundation

/// Console URLs built from ids.
enum ConsolePath {
    /// Ids come from the server, but a path segment is no place to trust that they are plain UUIDs.
    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-"))) ?? ""
    }

    static func casePage(_ id: String) -> String {
        "/console/cases/" + segment(id)
    }
}
