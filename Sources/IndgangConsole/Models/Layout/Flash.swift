/// The result of the previous POST, shown once on the page it redirected to.
public enum Flash: Sendable, Equatable {
    /// It worked: shown in `role="status"`.
    case status(String)
    /// It failed, not because of one field: shown in `role="alert"`.
    case alert(String)
    /// A field was refused: shown in `role="alert"` naming the field, and next to the field (`aria-describedby`).
    case problem(FormProblem)
}

extension Optional where Wrapped == Flash {
    var problem: FormProblem? {
        if case .problem(let problem) = self { return problem }
        return nil
    }
}
