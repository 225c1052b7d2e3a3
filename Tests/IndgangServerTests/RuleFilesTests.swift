import Foundation
import IndgangCore
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
