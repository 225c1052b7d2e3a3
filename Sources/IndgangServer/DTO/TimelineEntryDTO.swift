import Foundation
import Hummingbird
import IndgangStore

struct TimelineEntryDTO: ResponseEncodable {
    let at: Date
    let kind: String
    let actor: String?
    let data: AnyJSON

    init(_ entry: TimelineEntry) {
        at = entry.at
        kind = entry.kind
        actor = entry.actor
        data = AnyJSON(storedText: entry.data)
    }
}

/// Any JSON value, for the free-form `data` of timeline entries.
indirect enum AnyJSON: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])

    /// A JSON object the database stored as text (`jsonb::text`); an empty object if it does not parse.
    init(storedText text: String) {
        self = (try? JSONDecoder().decode(AnyJSON.self, from: Data(text.utf8))) ?? .object([:])
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
