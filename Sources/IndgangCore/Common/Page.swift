import Foundation

/// One page of a newest-first list, with the opaque cursor of the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only tells that another page exists.
    public init(fetched: [Item], limit: Int, cursor: (Item) -> String) {
        if fetched.count > limit {
            self.items = Array(fetched.prefix(limit))
            self.nextCursor = items.last.map(cursor).map(Cursor.encode)
        } else {
            self.items = fetched
            self.nextCursor = nil
        }
    }
}

/// Opaque cursors: base64url of the last item's sort key, so clients do not build them by hand.
public enum Cursor {
    public static func encode(_ key: String) -> String {
        Data(key.utf8).base64URLEncoded
    }

    public static func decode(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    public static func decodeUUID(_ cursor: String?) throws(IndgangError) -> UUID? {
        guard let cursor else { return nil }
        guard let key = decode(cursor), let id = UUID(uuidString: key) else { throw .invalid(field: "cursor", "is not a cursor this API returned") }
        return id
    }

    public static func decodeInt(_ cursor: String?) throws(IndgangError) -> Int64? {
        guard let cursor else { return nil }
        guard let key = decode(cursor), let value = Int64(key) else { throw .invalid(field: "cursor", "is not a cursor this API returned") }
        return value
    }
}
