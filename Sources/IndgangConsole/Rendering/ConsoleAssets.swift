import Foundation

/// The console's static files (`/console/assets/<name>`): only the files shipped in the bundle, by exact name.
public enum ConsoleAssets {
    /// Served names and their content types.
    public static let contentTypes = [
        "console.css": "text/css; charset=utf-8",
        "console.js": "text/javascript; charset=utf-8",
    ]

    /// The file's bytes and content type, or nil for any other name (no paths, no directory listing).
    public static func file(named name: String) -> (data: Data, contentType: String)? {
        guard let contentType = contentTypes[name],
            let directory = Bundle.module.url(forResource: "Assets", withExtension: nil),
            let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        else { return nil }
        return (data, contentType)
    }
}
