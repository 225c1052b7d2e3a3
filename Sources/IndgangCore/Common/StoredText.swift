/// What PostgreSQL will store as `text`: no NUL character (it cannot), and lengths counted as it counts them
/// — in Unicode code points, not in the grapheme clusters Swift's `count` gives ("🇩🇰" is one cluster, two
/// code points). Checked before any write, so such a value is a 422 naming the field, never a 500.
public enum StoredText {
    /// Why `text` cannot be stored in a column of at most `maxLength` code points, or nil when it can.
    public static func problem(_ text: String, maxLength: Int) -> String? {
        if text.unicodeScalars.contains("\u{0}") { return "must not contain NUL characters (U+0000)" }
        if text.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters (Unicode code points)" }
        return nil
    }
}
