import Mustache

/// A view model turned into nested dictionaries and arrays before rendering. swift-mustache looks every name
/// up by reflecting the objects on its context stack, and a name not found on a row climbs to the page: with
/// forms inside rows of tables that is a fresh `Mirror` of each enclosing struct per lookup (an inbox of 70
/// rows took over 100 ms). Reflecting each struct once and rendering from dictionaries keeps the same lookup
/// rules (a nil optional is absent, so the name climbs exactly as before) at a fraction of the cost.
enum RenderTree {
    static func build(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double, is any MustacheCustomRenderable:
            return value
        case let array as [Any]:
            return array.compactMap(build)
        case let listed as any RenderFields:
            return listed.renderFields.compactMapValues(build)
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                return mirror.children.first.flatMap { build($0.value) }
            case .struct, .class:
                var fields: [String: Any] = [:]
                fields.reserveCapacity(Int(mirror.children.count))
                for child in mirror.children {
                    if let label = child.label, let converted = build(child.value) { fields[label] = converted }
                }
                return fields
            default:
                return value
            }
        }
    }
}
