import Foundation
import IndgangConsole
import Testing

@Suite struct AdminPageTests {
    let renderer = Fixture.renderer

    @Test func aCreatedKeyIsShownOnceAndKeysCanBeRevoked() throws {
        let html = try renderer.render(Gallery.admin())
        let check = HTMLCheck(html)
        #expect(check.violations() == [])
        #expect(html.contains("<code class=\"secret\">igk_&quot;&gt;&lt;img"))
        #expect(html.contains("Den vises kun denne ene gang"))
        #expect(html.contains("action=\"/console/admin/keys/k1/revoke\""))
        let create = try #require(check.forms.first { $0.attributes["id"] == "create-key" })
        for name in ["actor", "role", "label"] { #expect(create.body.contains("name=\"\(name)\"")) }
        for role in ["caseworker", "coordinator", "integration", "admin"] { #expect(create.body.contains("value=\"\(role)\"")) }
        let without = try renderer.render(AdminPage(context: Fixture.context(.admin), actors: [], keys: [], subscriptions: []))
        #expect(!without.contains("secret") && !without.contains("igk_"))
        #expect(HTMLCheck(without).violations() == [])
    }

    @Test func subscriptionsListDeliveriesWithRedeliver() throws {
        let html = try renderer.render(Gallery.admin())
        #expect(html.contains("action=\"/console/admin/deliveries/d1/redeliver\""))
        #expect(html.contains("<tr class=\"row-failed\">") && html.contains("HTTP 500 – &lt;script&gt;"))
        #expect(html.contains("<td>Fejlet</td>") && html.contains("<td class=\"number\">7</td>"))
    }

    @Test func theAuditLogIsFoundByPostedCprAndNotEchoed() throws {
        let html = try renderer.render(Gallery.admin())
        let form = try #require(HTMLCheck(html).forms.first { $0.attributes["id"] == "audit" })
        #expect(form.attributes["method"] == "post" && form.attributes["action"] == "/console/admin/audit" && form.body.contains("name=\"cpr\" value=\"\""))
        #expect(html.contains("<p role=\"status\">1 registrering.</p>"))
        #expect(html.contains("<td>Så CPR-nummeret</td>") && html.contains("<td>sagsbehandler</td>"))
        let none = try renderer.render(AdminPage(context: Fixture.context(.admin), actors: [], keys: [], subscriptions: [], audit: .notFound))
        #expect(none.contains("Ingen borger med det CPR-nummer"))
    }

    @Test func actorsAreListedAndCanBeCreated() throws {
        let html = try renderer.render(Gallery.admin())
        #expect(html.contains("<td>Kommune</td><td>101</td>"))
        let form = try #require(HTMLCheck(html).forms.first { $0.attributes["id"] == "create-actor" })
        for name in ["slug", "name", "kind", "municipality_code"] { #expect(form.body.contains("name=\"\(name)\"")) }
        #expect(form.attributes["action"] == "/console/admin/actors")
    }
}
