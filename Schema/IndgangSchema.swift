import Foundation

/// The files under `Schema/` that the running service needs: migrations and the OpenAPI document.
public enum SchemaResources {
    /// The migration files, sorted by their numeric prefix.
    public static func migrationFiles() throws -> [URL] {
        guard let directory = Bundle.module.url(forResource: "migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Schema/migrations is missing from the bundle"])
        }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The built-in pathway rule files, `Schema/pathways/*.yaml`, sorted by name.
    public static func pathwayFiles() throws -> [URL] {
        guard let directory = Bundle.module.url(forResource: "pathways", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Schema/pathways is missing from the bundle"])
        }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// `Schema/openapi.yaml`, the machine-readable contract served at `/openapi.yaml`.
    public static func openAPIDocument() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Schema/openapi.yaml is missing from the bundle"])
        }
        return try Data(contentsOf: url)
    }
}
