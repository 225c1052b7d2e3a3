import Foundation
import IndgangCore

@testable import IndgangMedCom

/// The official MedCom examples, read where they are shared (never copied into the repository).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/medcom").standardizedFileURL

    static var allFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    static var notifications: [String] { allFiles.filter { $0.hasPrefix("HospitalNotification_") } }
    static var acknowledgements: [String] { allFiles.filter { $0.hasPrefix("Bundle-") } }

    /// `STIN_G` or a full file name.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name.hasSuffix(".json") ? name : "HospitalNotification_Ex_\(name).json"))
    }

    /// The examples reuse MessageHeader ids across scenarios (see their README); tests that need them apart
    /// rewrite the ids in the text, as TouchStone does.
    static func data(_ name: String, rewriting replacements: [String: String]) throws -> Data {
        var text = String(decoding: try data(name), as: UTF8.self)
        for (old, new) in replacements.sorted(by: { $0.key < $1.key }) { text = text.replacingOccurrences(of: old, with: new) }
        return Data(text.utf8)
    }

    static func message(_ name: String, rewriting replacements: [String: String] = [:]) throws -> MedComMessage {
        try MedComMessage(json: data(name, rewriting: replacements))
    }

    /// An example with one element changed: `path` of keys and indices; nil removes the element.
    static func editing(_ name: String, _ path: [Any], to value: Any?) throws -> Data {
        try edit(data(name), [(path, value)])
    }

    /// A body with several elements changed, in order.
    static func edit(_ body: Data, _ edits: [([Any], Any?)]) throws -> Data {
        var root = try JSONSerialization.jsonObject(with: body)
        for (path, value) in edits { root = set(value, at: path[...], in: root) }
        return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
    }

    private static func set(_ value: Any?, at path: ArraySlice<Any>, in node: Any) -> Any {
        guard let step = path.first else { return value as Any }
        if let key = step as? String, var object = node as? [String: Any] {
            if path.count == 1 {
                object[key] = value
            } else {
                object[key] = set(value, at: path.dropFirst(), in: object[key] ?? [String: Any]())
            }
            return object
        }
        if let index = step as? Int, var array = node as? [Any], array.indices.contains(index) || index == array.count {
            if path.count == 1, value == nil {
                array.remove(at: index)
            } else if index == array.count {
                array.append(set(value, at: path.dropFirst(), in: [String: Any]()))
            } else {
                array[index] = set(value, at: path.dropFirst(), in: array[index])
            }
            return array
        }
        return node
    }

    static func keepAll(_ birthDate: CalendarDate, _ on: CalendarDate) -> Bool { true }
    static func keepNone(_ birthDate: CalendarDate, _ on: CalendarDate) -> Bool { false }

    static func time(_ text: String) -> Date { RFC3339.parse(text)! }
}
