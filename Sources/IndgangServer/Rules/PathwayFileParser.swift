import Foundation
import IndgangCore
import Yams

/// Reads one pathway rule file (YAML) into a `PathwayDefinition`, collecting every problem with its line:
/// unknown keys, wrong types, unknown event types or attributes, effects that cannot apply to their event.
struct PathwayFileParser {
    let file: String
    private(set) var issues: [RuleFileIssue] = []

    init(file: String) {
        self.file = file
    }

    /// A base pathway (`pathway:`) or a variant of one (`extends:` or `adopts:`).
    mutating func parse(_ text: String) -> ParsedRuleFile? {
        guard let root = compose(text) else { return nil }
        guard let keys = root.mapping?.compactMap({ $0.key.string }) else {
            fail(root, "the file must be a mapping")
            return nil
        }
        if keys.contains("extends") || keys.contains("adopts") { return parseVariant(root).map { .variant($0.0, lines: $0.1) } }
        return parseBase(root).map { .base($0) }
    }

    private mutating func compose(_ text: String) -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            issues.append(RuleFileIssue(file: file, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(of: error))"))
            return nil
        } catch {
            issues.append(RuleFileIssue(file: file, line: nil, message: "not valid YAML: \(error)"))
            return nil
        }
        if root == nil { fail(nil, "the file is empty") }
        return root
    }

    private mutating func parseBase(_ root: Node) -> PathwayDefinition? {
        guard let top = mapping(root, "the file", allowed: Self.topKeys) else { return nil }

        let id = string(top["pathway"], "pathway", at: root)
        if let id, !ActorSlug.isValid(id) { fail(top["pathway"], "pathway must be a lower-case slug such as subacute-elderly") }
        let title = string(top["title"], "title", at: root)
        var outcome: String?
        if let node = top["outcome"] {
            outcome = string(node, "outcome", at: root)
            if let value = outcome, !PathwayDefinition.outcomes.contains(value) {
                fail(node, "outcome must be one of \(PathwayDefinition.outcomes.joined(separator: ", "))")
            }
        }
        var dueHours: Int? = 24
        if let node = top["handoff_due_hours"] { dueHours = integer(node, "handoff_due_hours", range: 1...8760) }
        var escalationActor: String?
        if let node = top["escalation_actor"] {
            escalationActor = string(node, "escalation_actor", at: root)
            if let slug = escalationActor, !ActorSlug.isValid(slug) { fail(node, "escalation_actor must be an actor slug") }
        }
        var eligibility = Eligibility()
        if let node = top["eligibility"] { eligibility = parseEligibility(node) }
        var rules: [PathwayRule] = []
        if let node = top["rules"] {
            if let sequence = node.sequence, !sequence.isEmpty {
                for ruleNode in sequence {
                    if let rule = parseRule(ruleNode) { rules.append(rule) }
                }
            } else {
                fail(node, "rules must be a non-empty list")
            }
        } else {
            fail(root, "rules is required")
        }
        var overridable: Set<PathwayParameter> = []
        if let node = top["overridable"] {
            for text in strings(node, "overridable") {
                if let parameter = PathwayParameter(rawValue: text) {
                    overridable.insert(parameter)
                } else {
                    fail(node, "overridable: \(text) is not one of \(PathwayParameter.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        var goals: [PathwayGoal] = []
        if let node = top["goals"] { goals = parseGoals(node) }
        guard issues.isEmpty, let id, let title else { return nil }
        return PathwayDefinition(
            id: id, title: title, eligibility: eligibility, escalationActor: escalationActor, outcome: outcome, handoffDueHours: dueHours ?? 24,
            rules: rules, overridable: overridable, goals: goals)
    }

    // MARK: - Parts

    static let topKeys: Set = ["pathway", "title", "outcome", "handoff_due_hours", "escalation_actor", "eligibility", "rules", "overridable", "goals"]

    mutating func parseEligibility(_ node: Node) -> Eligibility {
        guard let fields = mapping(node, "eligibility", allowed: ["age", "actor_kinds"]) else { return Eligibility() }
        var minimum: Int?
        var maximum: Int?
        if let age = fields["age"], let bounds = mapping(age, "eligibility.age", allowed: ["min", "max"]) {
            if let node = bounds["min"] { minimum = integer(node, "age.min", range: 0...130) }
            if let node = bounds["max"] { maximum = integer(node, "age.max", range: 0...130) }
            if let minimum, let maximum, minimum > maximum { fail(age, "age.min must not exceed age.max") }
        }
        var kinds: [ActorKind] = []
        if let node = fields["actor_kinds"] { kinds = actorKinds(node) }
        return Eligibility(minimumAge: minimum, maximumAge: maximum, actorKinds: kinds)
    }

    mutating func parseRule(_ node: Node) -> PathwayRule? {
        guard let fields = mapping(node, "a rule", allowed: ["name", "on", "when", "actor_kinds", "after", "then"]) else { return nil }
        let name = string(fields["name"], "name", at: node) ?? "unnamed"
        guard let type = eventType(fields["on"], "on", at: node) else { return nil }
        var conditions: [AttributeCondition] = []
        if let node = fields["when"] { conditions = self.conditions(node, for: type, "when") }
        var kinds: [ActorKind] = []
        if let node = fields["actor_kinds"] { kinds = actorKinds(node) }
        var after: PriorEventCondition?
        if let node = fields["after"] { after = parseAfter(node, current: type) }
        var effects: [RuleEffect] = []
        if let then = fields["then"], let sequence = then.sequence, !sequence.isEmpty {
            for effectNode in sequence {
                if let effect = parseEffect(effectNode, event: type) { effects.append(effect) }
            }
        } else {
            fail(fields["then"] ?? node, "then must be a non-empty list of effects")
        }
        return PathwayRule(name: name, on: type, conditions: conditions, actorKinds: kinds, after: after, effects: effects)
    }

    mutating func parseAfter(_ node: Node, current: EventType) -> PriorEventCondition? {
        guard let fields = mapping(node, "after", allowed: ["event", "where", "within_days", "more_than_hours", "measured_from"]) else { return nil }
        guard let type = eventType(fields["event"], "after.event", at: node) else { return nil }
        var conditions: [AttributeCondition] = []
        if let node = fields["where"] { conditions = self.conditions(node, for: type, "after.where") }
        guard let days = integer(fields["within_days"], "after.within_days", range: 1...36500, at: node) else { return nil }
        var hours = 0.0
        if let node = fields["more_than_hours"] {
            if let value = node.float, value >= 0 { hours = value } else { fail(node, "after.more_than_hours must be a number ≥ 0") }
        }
        var reference: String?
        if let node = fields["measured_from"] {
            reference = string(node, "after.measured_from", at: node)
            if let attribute = reference, !Self.dateAttributes(of: current).contains(attribute) {
                fail(node, "after.measured_from must be a date attribute of \(current.rawValue) (\(Self.dateAttributes(of: current).joined(separator: ", ")))")
            }
        }
        return PriorEventCondition(type: type, conditions: conditions, withinDays: days, moreThanHours: hours, reference: reference)
    }

    mutating func parseEffect(_ node: Node, event: EventType) -> RuleEffect? {
        guard let pairs = node.mapping, pairs.count == 1, let (keyNode, value) = pairs.first, let key = keyNode.string else {
            fail(node, "an effect is a mapping with one key: open_case, request_handoff, flag, escalate or close_case")
            return nil
        }
        switch key {
        case "open_case":
            guard let fields = mapping(value, "open_case", allowed: ["responsible"]) else { return nil }
            return actorReference(fields["responsible"], "open_case.responsible", event: event, at: value).map { .openCase(responsible: $0) }
        case "request_handoff":
            guard let fields = mapping(value, "request_handoff", allowed: ["to", "due", "reason"]) else { return nil }
            let to = actorReference(fields["to"], "request_handoff.to", event: event, at: value)
            var due: DueRule?
            if let node = fields["due"] { due = parseDue(node, event: event) } else { fail(value, "request_handoff.due is required") }
            let reason = string(fields["reason"], "request_handoff.reason", at: value)
            guard let to, let due, let reason else { return nil }
            return .requestHandoff(to: to, due: due, reason: reason)
        case "flag":
            guard let name = string(value, "flag", at: value) else { return nil }
            guard let flag = CaseFlag(rawValue: name) else {
                fail(value, "flag must be one of \(CaseFlag.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return .flag(flag)
        case "escalate":
            guard let fields = mapping(value, "escalate", allowed: ["reason", "unless"]) else { return nil }
            let reason = string(fields["reason"], "escalate.reason", at: value)
            var unless = false
            if let node = fields["unless"] {
                if node.string == "handoff_accepted" { unless = true } else { fail(node, "escalate.unless can only be handoff_accepted") }
            }
            return reason.map { .escalate(reason: $0, unlessHandoffAccepted: unless) }
        case "close_case":
            guard let fields = mapping(value, "close_case", allowed: ["outcome"]) else { return nil }
            guard let text = string(fields["outcome"], "close_case.outcome", at: value) else { return nil }
            guard let outcome = CloseOutcome(rawValue: text), CloseOutcome.chosen.contains(outcome) else {
                fail(fields["outcome"], "close_case.outcome must be one of \(CloseOutcome.chosen.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return .closeCase(outcome)
        default:
            fail(keyNode, "unknown effect \(key): use open_case, request_handoff, flag, escalate or close_case")
            return nil
        }
    }

    mutating func parseDue(_ node: Node, event: EventType) -> DueRule? {
        guard let fields = mapping(node, "due", allowed: ["hours_after_event", "before_date", "days", "working_days", "at"]) else { return nil }
        let kinds = ["hours_after_event", "before_date", "working_days"].filter { fields[$0] != nil }
        if kinds.count > 1 {
            fail(node, "due takes one of hours_after_event, before_date or working_days, not \(kinds.joined(separator: " and "))")
            return nil
        }
        if let count = fields["working_days"] {
            return parseWorkingDays(count, at: fields["at"], in: node)
        }
        if let at = fields["at"] { fail(at, "due.at goes with working_days") }
        if let hours = fields["hours_after_event"] {
            guard let value = integer(hours, "due.hours_after_event", range: 0...87600) else { return nil }
            return .hoursAfterEvent(value)
        }
        guard let attributeNode = fields["before_date"] else {
            fail(node, "due needs hours_after_event or before_date")
            return nil
        }
        guard let attribute = string(attributeNode, "due.before_date", at: node) else { return nil }
        guard Self.dateAttributes(of: event).contains(attribute), attribute != "occurred_at" else {
            fail(attributeNode, "due.before_date must be a date attribute of \(event.rawValue)")
            return nil
        }
        var days = 0
        if let node = fields["days"] { days = integer(node, "due.days", range: 0...365) ?? 0 }
        return .beforeDate(attribute: attribute, days: days)
    }

    /// `due: {working_days: N, at: "HH:MM"}`. The time must be quoted: YAML 1.1 reads an unquoted 12:00 as the
    /// number 720 (base 60), which would otherwise pass as a strange time.
    mutating func parseWorkingDays(_ count: Node, at timeNode: Node?, in node: Node) -> DueRule? {
        guard let days = integer(count, "due.working_days", range: 0...60) else { return nil }
        guard let timeNode else {
            fail(node, "due.at is required with working_days: the time of day, quoted, e.g. at: \"12:00\"")
            return nil
        }
        guard let scalar = timeNode.scalar, scalar.style == .singleQuoted || scalar.style == .doubleQuoted else {
            fail(timeNode, "due.at must be a quoted time of day, e.g. at: \"12:00\" (unquoted, YAML reads 12:00 as a number)")
            return nil
        }
        guard let time = LocalTimeOfDay(parsing: scalar.string), let due = WorkingDayDue(workingDays: days, at: time) else {
            fail(timeNode, "due.at must be a time of day HH:MM from 00:00 to 23:59")
            return nil
        }
        return .workingDays(due)
    }

    // MARK: - Typed readers

    mutating func actorReference(_ node: Node?, _ name: String, event: EventType, at parent: Node) -> ActorReference? {
        guard let text = string(node, name, at: parent) else { return nil }
        switch text {
        case "event_actor":
            guard event.attributes.contains(where: { $0.name == "actor" }) else {
                fail(node, "\(name): \(event.rawValue) names no actor, so event_actor cannot be used")
                return nil
            }
            return .eventActor
        case "citizen_municipality": return .citizenMunicipality
        default:
            guard ActorSlug.isValid(text) else {
                fail(node, "\(name) must be event_actor, citizen_municipality or an actor slug")
                return nil
            }
            return .actor(text)
        }
    }

    mutating func conditions(_ node: Node, for type: EventType, _ name: String) -> [AttributeCondition] {
        guard let pairs = node.mapping else {
            fail(node, "\(name) must be a mapping of attribute: value or [values]")
            return []
        }
        var result: [AttributeCondition] = []
        for (keyNode, valueNode) in pairs {
            guard let attribute = keyNode.string, let spec = type.attributes.first(where: { $0.name == attribute }) else {
                fail(keyNode, "\(name): \(keyNode.string ?? "?") is not an attribute of \(type.rawValue)")
                continue
            }
            let values = strings(valueNode, "\(name).\(attribute)")
            if case .choice(let allowed) = spec.kind {
                for value in values where !allowed.contains(value) {
                    fail(valueNode, "\(name).\(attribute): \(value) is not one of \(allowed.joined(separator: ", "))")
                }
            }
            result.append(AttributeCondition(attribute: attribute, values: values))
        }
        return result
    }

    mutating func eventType(_ node: Node?, _ name: String, at parent: Node) -> EventType? {
        guard let text = string(node, name, at: parent) else { return nil }
        guard let type = EventType(rawValue: text) else {
            fail(node, "\(name): unknown event type \(text)")
            return nil
        }
        return type
    }

    mutating func actorKinds(_ node: Node) -> [ActorKind] {
        var kinds: [ActorKind] = []
        for text in strings(node, "actor_kinds") {
            if let kind = ActorKind(rawValue: text) {
                kinds.append(kind)
            } else {
                fail(node, "actor_kinds: \(text) is not one of \(ActorKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return kinds
    }

    mutating func mapping(_ node: Node, _ name: String, allowed: Set<String>) -> [String: Node]? {
        guard let pairs = node.mapping else {
            fail(node, "\(name) must be a mapping")
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in pairs {
            guard let key = keyNode.string, allowed.contains(key) else {
                fail(keyNode, "unknown key \(keyNode.string ?? "?") in \(name); expected one of \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            result[key] = value
        }
        return result
    }

    mutating func string(_ node: Node?, _ name: String, at parent: Node) -> String? {
        guard let node else {
            fail(parent, "\(name) is required")
            return nil
        }
        guard let text = node.scalar?.string, !text.isEmpty else {
            fail(node, "\(name) must be a non-empty text")
            return nil
        }
        return text
    }

    mutating func strings(_ node: Node, _ name: String) -> [String] {
        if let scalar = node.scalar { return [scalar.string] }
        if let sequence = node.sequence, sequence.allSatisfy({ $0.scalar != nil }), !sequence.isEmpty { return sequence.compactMap(\.string) }
        fail(node, "\(name) must be a value or a list of values")
        return []
    }

    mutating func integer(_ node: Node?, _ name: String, range: ClosedRange<Int>, at parent: Node? = nil) -> Int? {
        guard let node else {
            fail(parent, "\(name) is required")
            return nil
        }
        guard let value = node.int, range.contains(value) else {
            fail(node, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func fail(_ node: Node?, _ message: String) {
        issues.append(RuleFileIssue(file: file, line: node?.mark?.line, message: message))
    }

    static func dateAttributes(of type: EventType) -> [String] {
        ["occurred_at"] + type.attributes.compactMap { spec in
            if case .date = spec.kind { return spec.name }
            return nil
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
