/// The coordinator pages' filter form: a GET form with the API's query parameter names, so the page's URL is
/// the query (bookmarkable, and the CSV link repeats it). It carries no personal data.
enum OutcomeFilterForm {
    static func make(measure: CoordinatorFigure, query: OutcomeQuery, pathways: [Choice], actors: [Choice], problem: FormProblem?) -> FormModel {
        let id = "filter"
        var groupings = ["municipality", "actor", "age_band", "variant"]
        if measure != .handoffs { groupings.insert("month", at: 0) }
        var fields: [FormField] = [
            .text(form: id, name: "from", label: "Fra", value: query.from, type: "date", hint: "Den første dag i en måned.", problem: problem),
            .text(form: id, name: "to", label: "Til", value: query.to, type: "date", hint: "Den sidste dag i en måned.", problem: problem),
            .select(form: id, name: "pathway", label: "Forløb", choices: pathways, selected: query.pathway, prompt: "Alle forløb", problem: problem),
            .select(form: id, name: "actor", label: "Aktør", choices: actors, selected: query.actor, prompt: "Alle aktører", problem: problem),
            .text(
                form: id, name: "municipality", label: "Kommunekode", value: query.municipality ?? "", hint: "Tre cifre, fx 101; tom for alle.",
                inputMode: "numeric", problem: problem),
            .select(
                form: id, name: "group_by", label: "Opdel efter",
                choices: groupings.map { Choice(value: $0, label: DanishLabels.groupBy($0)) }, selected: query.groupBy,
                prompt: "Ingen opdeling", problem: problem),
        ]
        if measure != .handoffs {
            fields.append(
                .text(
                    form: id, name: "compare", label: "Sammenlign", value: query.compare ?? "",
                    hint: "Fx period:2026-07-01 (før og fra en dato), municipality:101,561 (to kommuner), actor:A,B eller age_band:A,B.",
                    problem: problem))
        }
        return FormModel(id: id, action: measure.path, post: false, fields: fields, submit: "Vis tal", style: .secondary)
    }
}
