import Foundation
import IndgangCore
import IndgangSchema
import IndgangServer
import Testing

@Suite("Pathway rule files")
struct RuleFilesTests {
    @Test("the shipped YAML files are exactly the pathways the engine tests exercise")
    func bundledMatchesFixture() throws {
        let catalog = try PathwayCatalog.bundled()
        #expect(catalog.definitions.map(\.id) == ["mental-health-youth", "reentry-youth", "subacute-elderly"])
        for expected in BuiltInPathways.all {
            #expect(catalog.definition(expected.id) == expected, "\(expected.id) differs from its YAML file")
        }
    }

    @Test("indgang rules check: ok on the shipped files; file:line problems and exit 1 on broken ones")
    func rulesCheckCommand() async throws {
        let good = try ChildProcess(arguments: ["rules", "check"], environment: ProcessInfo.processInfo.environment)
        #expect(await good.waitForExit() == 0)
        #expect(good.output.contains("ok subacute-elderly"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.yaml")
        try """
            pathway: broken
            title: Broken
            rules:
              - name: r1
                on: hospital.exploded
                then:
                  - open_case: {responsible: event_actor}
              - name: r2
                on: citizen.moved
                when: {colour: red}
                then:
                  - teleport: {}
            """.write(to: broken, atomically: true, encoding: .utf8)
        let invalidYAML = folder.appendingPathComponent("invalid.yaml")
        try "pathway: x\n  title: [unclosed\n".write(to: invalidYAML, atomically: true, encoding: .utf8)
        let check = try ChildProcess(arguments: ["rules", "check", broken.path, invalidYAML.path], environment: ProcessInfo.processInfo.environment)
        #expect(await check.waitForExit() == 1)
        let output = check.output
        #expect(output.contains("broken.yaml:5: on: unknown event type hospital.exploded"), "\(output)")
        #expect(output.contains("broken.yaml:10: when: colour is not an attribute of citizen.moved"), "\(output)")
        #expect(output.contains("broken.yaml:12: unknown effect teleport"), "\(output)")
        #expect(output.contains("invalid.yaml:2: not valid YAML"), "\(output)")
    }
}

extension RuleFilesTests {
    @Test("indgang rules check names file and line for every variant rejection, checked against the built-in bases")
    func variantRejections() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("variants-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        func variant(_ id: String, extends base: String = "subacute-elderly", municipalities: String = #"["219"]"#, from: String = "2026-01-01", overrides: String) -> String {
            "id: \(id)\ntitle: \(id)\nextends: \(base)\nversion: 1\nmunicipalities: \(municipalities)\nvalid_from: \(from)\noverrides:\n  \(overrides)\n"
        }
        func adopting(_ id: String, _ target: String, municipality: String) -> String {
            "id: \(id)\ntitle: \(id)\nversion: 1\nadopts: \(target)\nmunicipalities: [\"\(municipality)\"]\nvalid_from: 2026-01-01\n"
        }
        let good = try write("hillerod.yaml", variant("hillerod-subacute", overrides: #"handoff_due: {working_days: 2, at: "12:00"}"#))
        let ok = try ChildProcess(arguments: ["rules", "check", good], environment: ProcessInfo.processInfo.environment)
        #expect(await ok.waitForExit() == 0, "\(ok.output)")
        #expect(ok.output.contains("ok hillerod-subacute@1: variant of subacute-elderly for 219 from 2026-01-01"), "\(ok.output)")
        // An edited copy of a built-in base is checked in its place (not reported as declared twice).
        let builtIn = try String(contentsOf: try #require(try SchemaResources.pathwayFiles().first { $0.lastPathComponent == "subacute-elderly.yaml" }), encoding: .utf8)
        let edited = try write("subacute-elderly.yaml", builtIn.replacingOccurrences(of: "handoff_due_hours: 24", with: "handoff_due_hours: 36"))
        let base = try ChildProcess(arguments: ["rules", "check", edited], environment: ProcessInfo.processInfo.environment)
        #expect(await base.waitForExit() == 0, "\(base.output)")

        // Problems within a file are reported first (how the files fit together is checked once each file reads well).
        let unreadable = [
            try write("unknown-parameter.yaml", variant("a-one", municipalities: #"["101"]"#, overrides: "colour: red")),
            try write("adopt-and-override.yaml", adopting("a-nine", "hillerod-subacute@1", municipality: "161") + "overrides:\n  escalation_actor: x\n"),
        ]
        let parse = try ChildProcess(arguments: ["rules", "check", good] + unreadable, environment: ProcessInfo.processInfo.environment)
        #expect(await parse.waitForExit() == 1)
        #expect(parse.output.contains("unknown-parameter.yaml:8: unknown key colour in overrides"), "\(parse.output)")
        #expect(parse.output.contains("adopt-and-override.yaml:8: an adopting variant takes the adopted variant as it is"), "\(parse.output)")

        let files = [
            try write("not-overridable.yaml", variant("a-two", extends: "reentry-youth", municipalities: #"["147"]"#, overrides: "handoff_due: {hours_after_event: 4}")),
            try write("unknown-base.yaml", variant("a-three", extends: "no-such-pathway", municipalities: #"["151"]"#, overrides: "escalation_actor: koordinator")),
            try write("overlap.yaml", variant("a-four", from: "2026-06-01", overrides: "escalation_actor: koordinator")),
            try write("unknown-adoption.yaml", adopting("a-five", "nobody@1", municipality: "153")),
            try write("unknown-version.yaml", adopting("a-six", "hillerod-subacute@2", municipality: "155")),
            try write("cycle-one.yaml", adopting("a-seven", "a-eight@1", municipality: "157")),
            try write("cycle-two.yaml", adopting("a-eight", "a-seven@1", municipality: "159")),
        ]
        let check = try ChildProcess(arguments: ["rules", "check", good] + files, environment: ProcessInfo.processInfo.environment)
        #expect(await check.waitForExit() == 1)
        let output = check.output
        for expected in [
            "not-overridable.yaml:8: reentry-youth does not declare handoff_due overridable",
            "unknown-base.yaml:3: no base pathway no-such-pathway",
            "overlap.yaml:5: municipality 219 already runs hillerod-subacute@1 of subacute-elderly from 2026-01-01",
            "unknown-adoption.yaml:4: no variant nobody",
            "unknown-version.yaml:4: hillerod-subacute has no version 2 (it has 1)",
            "cycle-one.yaml:4: adoption cycle: a-seven@1 → a-eight@1 → a-seven@1",
            "cycle-two.yaml:4: adoption cycle",
        ] {
            #expect(output.contains(expected), "missing \(expected) in:\n\(output)")
        }
    }
}

extension RuleFilesTests {
    @Test("the README's example variants validate with the built-in pathways")
    func exampleVariantsValidate() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/variants")
        let catalog = try PathwayCatalog.load(extraFolder: folder)
        #expect(catalog.ruleSet.variants.map(\.reference.description) == ["aarhus-subacute@1", "kbh-subacute@1", "odense-subacute@1"])
        #expect(catalog.ruleSet.adopters(of: "kbh-subacute") == ["751"])
    }
}
