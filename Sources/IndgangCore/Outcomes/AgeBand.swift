/// The age bands outcome figures group by. The edges follow the pathways' eligibility (15, 18, 30, 65), so a
/// pathway's population is always a union of whole bands.
public enum AgeBand: String, Sendable, CaseIterable {
    case under15 = "0-14"
    case from15 = "15-17"
    case from18 = "18-29"
    case from30 = "30-64"
    case from65 = "65-74"
    case from75 = "75-84"
    case from85 = "85+"

    public init(age: Int) {
        switch age {
        case ..<15: self = .under15
        case 15..<18: self = .from15
        case 18..<30: self = .from18
        case 30..<65: self = .from30
        case 65..<75: self = .from65
        case 75..<85: self = .from75
        default: self = .from85
        }
    }

    /// The lowest age in the band.
    public var lowerAge: Int {
        switch self {
        case .under15: return 0
        case .from15: return 15
        case .from18: return 18
        case .from30: return 30
        case .from65: return 65
        case .from75: return 75
        case .from85: return 85
        }
    }

    /// The bands that make up exactly the ages `minimum`…`maximum` (nil: no upper limit), or nil when the
    /// range cuts through a band (then only per-year ages can answer).
    public static func covering(minimum: Int, maximum: Int?) -> [AgeBand]? {
        let edges = allCases.map(\.lowerAge)
        guard edges.contains(minimum), maximum.map({ edges.contains($0 + 1) }) ?? true else { return nil }
        return allCases.enumerated().filter { index, band in
            let upper = index + 1 < edges.count ? edges[index + 1] - 1 : nil
            guard band.lowerAge >= minimum else { return false }
            guard let maximum else { return true }
            return upper.map { $0 <= maximum } ?? false
        }.map(\.element)
    }
}
