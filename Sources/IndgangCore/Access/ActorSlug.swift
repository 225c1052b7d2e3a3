/// Validation for the identifiers clients type: actor slugs and municipality codes.
public enum ActorSlug {
    /// Lower-case letters, digits and hyphens, 2–63 characters, starting with a letter or digit.
    /// Checked byte by byte: every event's `actor` attribute passes here, and Unicode's character properties were
    /// ~1 % of a batch's CPU. Only ASCII passes, so bytes and characters count alike.
    public static func isValid(_ slug: String) -> Bool {
        let utf8 = slug.utf8
        guard (2...63).contains(utf8.count), utf8.first != UInt8(ascii: "-") else { return false }
        return utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

public enum MunicipalityCode {
    /// The official code is three digits, e.g. `101` København, `561` Esbjerg.
    public static func isValid(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
