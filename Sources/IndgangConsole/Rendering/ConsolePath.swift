import Foundation

/// Console URLs built from ids.
enum ConsolePath {
    /// Ids come from the server, but a path segment is no place to trust that they are plain UUIDs.
    static func segment(_ id: String) -> String {
        // A UUID (every id we make) passes as it is; Foundation's percent-encoding was 3.5 % of an inbox page's CPU.
        if id.utf8.allSatisfy(isUnreserved) { return id }
        return id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-"))) ?? ""
    }

    /// ASCII letters, digits and "-": what the percent-encoding below leaves as it is.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"): true
        default: false
        }
    }

    static func casePage(_ id: String) -> String {
        "/console/cases/" + segment(id)
    }
}
