import Foundation

/// The query parameters the coordinator page was asked with (the API's): they fill the filter form and build
/// the CSV link, so the CSV holds exactly what the page shows.
public struct OutcomeQuery: Sendable, Equatable {
    /// `YYYY-MM-DD`, the first day of a month.
    public var from: String
    /// `YYYY-MM-DD`, the last day of a month.
    public var to: String
    public var pathway: String?
    public var actor: String?
    public var municipality: String?
    /// `month`, `municipality`, `actor`, `age_band`, `variant`.
    public var groupBy: String?
    /// `municipality:A,B`, `actor:A,B`, `age_band:A,B`, `variant:A,B` or `period:YYYY-MM-DD`.
    public var compare: String?
    public var windowDays: Int?

    public init(
        from: String, to: String, pathway: String? = nil, actor: String? = nil, municipality: String? = nil, groupBy: String? = nil,
        compare: String? = nil, windowDays: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.pathway = pathway
        self.actor = actor
        self.municipality = municipality
        self.groupBy = groupBy
        self.compare = compare
        self.windowDays = windowDays
    }

    /// The parameters as a query string, in a fixed order, empty ones left out.
    public var queryString: String {
        let pairs: [(String, String?)] = [
            ("from", from), ("to", to), ("pathway", pathway), ("actor", actor), ("municipality", municipality), ("group_by", groupBy),
            ("compare", compare), ("window_days", windowDays.map(String.init)),
        ]
        return pairs.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + Self.encode(value)
        }.joined(separator: "&")
    }

    func comparing(_ compare: String) -> OutcomeQuery {
        var copy = self
        copy.compare = compare
        return copy
    }

    /// The first day of the month that splits the window in two halves (`compare=period:` takes it), for a
    /// period-over-period comparison offered on every page; nil for a window of one month.
    var midpoint: String? {
        func monthIndex(_ day: String) -> Int? {
            let parts = day.split(separator: "-")
            guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            return year * 12 + month - 1
        }
        guard let first = monthIndex(from), let last = monthIndex(to), last > first else { return nil }
        let middle = first + (last - first + 1) / 2
        let month = middle % 12 + 1
        return "\(middle / 12)-\(month < 10 ? "0" : "")\(month)-01"
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    var periodText: String {
        "\(DanishFormat.date(isoDay: from) ?? from) – \(DanishFormat.date(isoDay: to) ?? to)"
    }
}
