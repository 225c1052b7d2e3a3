/// Validation for the identifiers clients type: actor slugs and municipality codes.
public enum ActorSlug {
    /// Lower-case letters, digits and hyphens, 2–63 characters, starting with a letter or digit.
    public static func isValid(_ slug: String) -> Bool {
        guard (2...63).contains(slug.count), let first = slug.first, first != "-" else { return false }
        return slug.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}

public enum MunicipalityCode {
    /// The official code is three digits, e.g. `101` København, `561` Esbjerg.
    public static func isValid(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
