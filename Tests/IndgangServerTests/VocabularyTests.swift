import Foundation
import IndgangCore
import Testing
import Yams

/// One vocabulary (issue 13): the kinds, statuses and actions the code writes are enums in `IndgangCore`, and the
/// contract's lists say exactly the same — a value added, renamed or dropped in one place only fails here.
@Suite("One vocabulary, in the code and in the contract")
struct VocabularyTests {
    static var schemas: [String: Any] {
        let text = (try? String(contentsOf: ConfigurationDocsTests.root.appendingPathComponent("Schema/openapi.yaml"), encoding: .utf8)) ?? ""
        let document = (try? Yams.load(yaml: text)) as? [String: Any]
        return ((document?["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
    }

    /// The `enum` at `path` (schema name, then property names) of the components' schemas.
    static func listed(_ path: String...) -> [String] {
        var node: Any? = Self.schemas[path[0]]
        for key in path.dropFirst() {
            let object = node as? [String: Any]
            node = (object?["properties"] as? [String: Any])?[key] ?? (object?["items"] as? [String: Any]).flatMap { ($0["properties"] as? [String: Any])?[key] }
        }
        return ((node as? [String: Any])?["enum"] as? [Any])?.map { "\($0)" } ?? []
    }

    static func values<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> [String] where T.RawValue == String {
        T.allCases.map(\.rawValue)
    }

    @Test("timeline kinds, notification kinds, effect statuses and audit actions")
    func writtenVocabulary() {
        #expect(Set(Self.listed("TimelineEntry", "kind")) == Set(Self.values(TimelineKind.self)))
        #expect(Set(Self.listed("NotificationKind")) == Set(Self.values(NotificationKind.self)))
        #expect(Set(Self.listed("IngestResult", "effects", "status")) == Set(Self.values(EffectStatus.self)))
        #expect(Set(Self.listed("AuditEntry", "action")) == Set(Self.values(AuditAction.self)))
    }

    @Test("roles, actor kinds, handoff and case statuses, close outcomes and event types")
    func statesAndNames() {
        #expect(Set(Self.listed("Role")) == Set(Self.values(Role.self)))
        #expect(Set(Self.listed("NewActor", "kind")) == Set(Self.values(ActorKind.self)))
        #expect(Set(Self.listed("HandoffStatus")) == Set(Self.values(HandoffStatus.self)))
        #expect(Set(Self.listed("Case", "status")) == Set(Self.values(CaseStatus.self)))
        #expect(Set(Self.listed("Case", "outcome")) == Set(Self.values(CloseOutcome.self)))
        #expect(Set(Self.listed("EventType")) == Set(Self.values(EventType.self)))
    }
}
