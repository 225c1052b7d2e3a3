/// A view model that lists its fields for the template itself, sparing `RenderTree` a `Mirror` per instance;
/// for the types repeated in every row (forms, fields, handoff and timeline rows). The keys must be exactly the
/// stored properties' names, which a test checks against `Mirror`.
protocol RenderFields {
    var renderFields: [String: Any] { get }
}
