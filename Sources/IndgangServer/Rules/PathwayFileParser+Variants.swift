import Foundation
import IndgangCore
import Yams

/// Variant files and goals (API.md, "Pathway variants, goals and working days").
extension PathwayFileParser {
    static let variantKeys: Set = ["id", "title", "version", "municipalities", "valid_from", "extends", "overrides", "rules", "goals", "adopts"]
    static let overrideKeys = Set(PathwayParameter.allCases.map(\.rawValue))

    mutating func parseVariant(_ root: Node) -> (PathwayVariant, [String: Int])? {
        guard let top = mapping(root, "a variant file", allowed: Self.variantKeys) else { return nil }
        var lines: [String: Int] = [:]
        for (key, node) in top { lines[key] = node.mark?.line }
        let id = string(top["id"], "id", at: root)
        if let id, !ActorSlug.isValid(id) { fail(top["id"], "id must be a lower-case slug such as hillerod-subacute") }
        let title = string(top["title"], "title", at: root)
        let version = integer(top["version"], "version", range: 1...100_000, at: root)
        var municipalities: [String] = []
        if let node = top["municipalities"] {
            municipalities = strings(node, "municipalities")
            for code in municipalities where !MunicipalityCode.isValid(code) {
                fail(node, "municipalities: \(code) is not a three-digit municipality code (quote it: \"219\")")
            }
            if Set(municipalities).count != municipalities.count { fail(node, "municipalities lists a code twice") }
        } else {
            fail(root, "municipalities is required")
        }
        let validFrom = date(top["valid_from"], "valid_from", at: root)

        let content: PathwayVariant.Content?
        var goals: [PathwayGoal] = []
        if let adoptsNode = top["adopts"] {
            for key in ["extends", "overrides", "rules", "goals"] where top[key] != nil {
                fail(top[key], "an adopting variant takes the adopted variant as it is: \(key) goes with extends, not adopts")
            }
            if let text = string(adoptsNode, "adopts", at: root) {
                if let reference = VariantReference(parsing: text) {
                    content = .adopts(reference)
                } else {
                    fail(adoptsNode, "adopts must be <variant id>@<version>, e.g. hillerod-subacute@1")
                    content = nil
                }
            } else {
                content = nil
            }
        } else {
            let base = string(top["extends"], "extends", at: root)
            var overrides = VariantOverrides()
            if let node = top["overrides"] {
                overrides = parseOverrides(node, lines: &lines)
            }
            var rules: [PathwayRule] = []
            if let node = top["rules"] {
                if let sequence = node.sequence, !sequence.isEmpty {
                    rules = sequence.compactMap { parseRule($0) }
                } else {
                    fail(node, "rules must be a non-empty list (or left out)")
                }
            }
            if top["overrides"] == nil && top["rules"] == nil { fail(root, "a variant needs overrides or rules (or adopts another variant)") }
            goals = top["goals"].map { parseGoals($0) } ?? []
            content = base.map { .extends(base: $0, overrides: overrides, rules: rules) }
        }
        guard issues.isEmpty, let id, let title, let version, let validFrom, let content else { return nil }
        return (
            PathwayVariant(id: id, title: title, version: version, municipalities: municipalities, validFrom: validFrom, content: content, goals: goals),
            lines
        )
    }

    private mutating func parseOverrides(_ node: Node, lines: inout [String: Int]) -> VariantOverrides {
        guard let fields = mapping(node, "overrides", allowed: Self.overrideKeys) else { return VariantOverrides() }
        var overrides = VariantOverrides()
        for (key, value) in fields { lines["overrides.\(key)"] = value.mark?.line }
        if let due = fields[PathwayParameter.handoffDue.rawValue] {
            if due.mapping?.contains(where: { $0.key.string == "before_date" }) == true {
                fail(due, "overrides.handoff_due applies to every handoff the base requests: hours_after_event or working_days, not before_date")
            } else {
                // Without before_date, the due rule does not depend on the triggering event's type.
                overrides.handoffDue = parseDue(due, event: .citizenMoved)
            }
        }
        if let actor = fields[PathwayParameter.escalationActor.rawValue] {
            overrides.escalationActor = string(actor, "overrides.escalation_actor", at: node)
            if let slug = overrides.escalationActor, !ActorSlug.isValid(slug) { fail(actor, "overrides.escalation_actor must be an actor slug") }
        }
        if let ages = fields[PathwayParameter.eligibilityAge.rawValue], let bounds = mapping(ages, "overrides.eligibility_age", allowed: ["min", "max"]) {
            if let node = bounds["min"] { overrides.minimumAge = integer(node, "eligibility_age.min", range: 0...130) }
            if let node = bounds["max"] { overrides.maximumAge = integer(node, "eligibility_age.max", range: 0...130) }
            if bounds.isEmpty { fail(ages, "overrides.eligibility_age needs min or max") }
            if let minimum = overrides.minimumAge, let maximum = overrides.maximumAge, minimum > maximum {
                fail(ages, "eligibility_age.min must not exceed eligibility_age.max")
            }
        }
        return overrides
    }

    /// `goals: [{measure, target, direction, from}]`.
    mutating func parseGoals(_ node: Node) -> [PathwayGoal] {
        guard let sequence = node.sequence else {
            fail(node, "goals must be a list of {measure, target, direction, from}")
            return []
        }
        var goals: [PathwayGoal] = []
        for item in sequence {
            guard let fields = mapping(item, "a goal", allowed: ["measure", "target", "direction", "from"]) else { continue }
            let measure = string(fields["measure"], "goal.measure", at: item).flatMap { text in
                PathwayGoal.Measure(rawValue: text) ?? {
                    fail(fields["measure"], "goal.measure must be one of \(PathwayGoal.Measure.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }()
            }
            var target: Double?
            if let node = fields["target"] {
                if let value = node.float, value >= 0, value <= 1 { target = value } else { fail(node, "goal.target must be a share from 0 to 1, e.g. 0.15") }
            } else {
                fail(item, "goal.target is required")
            }
            let direction = string(fields["direction"], "goal.direction", at: item).flatMap { text in
                PathwayGoal.Direction(rawValue: text) ?? {
                    fail(fields["direction"], "goal.direction must be below or above")
                    return nil
                }()
            }
            let from = date(fields["from"], "goal.from", at: item)
            if let measure, let target, let direction, let from {
                goals.append(PathwayGoal(measure: measure, target: target, direction: direction, from: from))
            }
        }
        let starts = goals.map { "\($0.measure.rawValue) \($0.from)" }
        if Set(starts).count != starts.count { fail(node, "goals names one measure twice from the same date") }
        return goals
    }

    private mutating func date(_ node: Node?, _ name: String, at parent: Node) -> CalendarDate? {
        guard let text = string(node, name, at: parent) else { return nil }
        guard let date = CalendarDate(iso: text) else {
            fail(node, "\(name) must be a date YYYY-MM-DD")
            return nil
        }
        return date
    }
}
