import Testing

@Suite struct HTMLCheckTests {
    @Test func theCheckerCatchesWhatItLooksFor() {
        let bad = """
            <html lang="en"><body><h1>a</h1><h1>b</h1><main id="x"></main>
            <form method="post" action="/x"><input type="text" id="a" name="a"></form>
            <form action="/y"></form><table><tr><th>x</th></tr></table>
            <p id="d" style="color:red" onclick="x()">x</p><p id="d"></p><input id="z" aria-describedby="nowhere">
            <script>alert(1)</script><img src="https://cdn.example/x.png">
            """
        let problems = HTMLCheck(bad).violations()
        for expected in [
            "html lang is not da", "2 h1 elements", "0 header elements", "no skip link", "no #indhold target", "duplicate ids: [\"d\"]",
            "input #a has no label", "post form #? without csrf_token", "form #? with method none", "table without caption",
            "th without scope", "inline style on p", "event handler attribute on p", "inline script",
            "external src https://cdn.example/x.png", "aria-describedby names missing id nowhere",
        ] {
            #expect(problems.contains(expected), "\(expected) not in \(problems)")
        }
    }
}
