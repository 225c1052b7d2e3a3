import Foundation

/// RFC 3339 timestamps as the API speaks them: parsed with any offset (and optional fractional seconds),
/// written in UTC with milliseconds.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        // ISO 8601 parsers accept forms RFC 3339 does not (no offset, week dates): check the shape first.
        guard text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})/#) != nil else { return nil }
        let normalised = text.uppercased()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? fractional.parse(normalised)) ?? (try? Date.ISO8601FormatStyle().parse(normalised))
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
