import Foundation

/// Console URLs built from ids.
enum ConsolePath {
    /// Ids come from the server, but a path segment is no place to trust that they are plain UUIDs.
    static func segment(_ id: String) -> String {
        // A UUID (every id we make) passes as it is; Foundation's percent-encoding was 3.5 % of an inbox page's CPU.
        if id.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            return id
        }
        return id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-"))) ?? ""
    }

    static func casePage(_ id: String) -> String {
        "/console/cases/" + segment(id)
    }
}
