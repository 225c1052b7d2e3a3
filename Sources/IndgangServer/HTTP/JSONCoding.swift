import Foundation
import IndgangCore

/// The one JSON configuration of the API: RFC 3339 times in UTC, keys as the DTOs spell them (snake_case).
enum JSONCoding {
    // Built once: configuring coders per request showed up in profiles.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 time with offset, e.g. 2026-11-24T12:00:00Z")
            }
            return date
        }
        return decoder
    }()
}

extension UUID {
    /// Ids on the wire are lower-case, as RFC 9562 recommends (Foundation prints upper-case).
    var wire: String { lowercasedString }
}
