import Foundation
import Hummingbird
import IndgangCore

/// Every list answer: `{items, next_cursor}`, with `next_cursor: null` on the last page.
struct ListDTO<Item: Encodable & Sendable>: ResponseEncodable {
    let items: [Item]
    let next_cursor: String?

    init(items: [Item], nextCursor: String? = nil) {
        self.items = items
        self.next_cursor = nextCursor
    }

    init<Record>(_ page: Page<Record>, transform: (Record) -> Item) {
        self.init(items: page.items.map(transform), nextCursor: page.nextCursor)
    }

    enum CodingKeys: String, CodingKey { case items, next_cursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(next_cursor, forKey: .next_cursor)  // explicit null, not an absent key
    }
}
