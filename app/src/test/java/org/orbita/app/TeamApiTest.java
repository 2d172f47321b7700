package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.app.security.Accounts;
import org.orbita.app.security.Scope;
import org.orbita.app.security.Team;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Users, roles and keys through the API: a member's key does no more than their role (the
 * service refuses what the role lacks, whatever the key's scopes), nobody gives a role or a key
 * beyond their own, the last owner stays, a deactivated member's keys stop, an expired key
 * fails, and another workspace's people are not found.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TeamApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    Team team;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    private Reply as(String key, String method, String path, Object body) {
        try {
            return ApiTestSupport.send(port, method, path, key, "application/json", body == null ? null : JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A member invited by the admin key, their password set, and a key of theirs with every scope. */
    private String member(String email, String role) {
        Reply invited = ApiTestSupport.json(port, "POST", "/api/v1/users", Map.of("email", email, "role", role));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.json().at("/member/passwordSet").asBoolean()).isFalse();
        assertThat(invited.json().get("link").asText()).startsWith("http://localhost:").contains("/invitation/" + invited.json().get("token").asText());
        team.accept(invited.json().get("token").asText(), "Kettle-" + Math.abs(email.hashCode()) + "-Tundra");
        return accounts.createKey("demo", email, Scope.ids(), invited.json().at("/member/id").asText(), null);
    }

    @Test
    void aMembersKeyDoesNoMoreThanTheirRole() {
        String mia = member("mia@shop.example", "marketer");
        // a marketer works with campaigns and messages…
        assertThat(as(mia, "GET", "/api/v1/campaigns", null).status()).isEqualTo(200);
        Reply message = as(mia, "POST", "/api/v1/messages", Map.of("name", "Hello", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        // …but changes no settings, manages nobody, approves nothing: the key's scopes do not reach past the role
        Reply settings = as(mia, "PUT", "/api/v1/settings/workspace", Map.of("timeZone", "UTC"));
        assertThat(settings.status()).isEqualTo(403);
        assertThat(settings.contentType()).startsWith("application/problem+json");
        assertThat(as(mia, "POST", "/api/v1/users", Map.of("email", "x@shop.example", "role", "owner")).status()).isEqualTo(403);
        assertThat(as(mia, "GET", "/api/v1/roles", null).status()).isEqualTo(403);
        assertThat(as(mia, "POST", "/api/v1/campaigns/any/approve", null).status()).isEqualTo(403);
    }

    @Test
    void nobodyGivesARoleOrAKeyBeyondTheirOwn() {
        // a role that manages people and keys, and reads messages — nothing else
        Reply keeper = ApiTestSupport.json(port, "POST", "/api/v1/roles", Map.of("name", "People keeper",
                "permissions", List.of("users:read", "users:write", "api-keys:read", "api-keys:write", "messages:read", "snippets:read")));
        assertThat(keeper.status()).as(keeper.body()).isEqualTo(201);
        String roleId = keeper.json().get("id").asText();
        Reply odd = ApiTestSupport.json(port, "POST", "/api/v1/roles", Map.of("name", "Odd", "permissions", List.of("reports:launch")));
        assertThat(odd.status()).isEqualTo(400);
        assertThat(odd.body()).contains("permissions[0]").contains("means nothing");

        String kim = member("kim@shop.example", roleId);
        // her key may make keys, never with more than she holds
        Reply more = as(kim, "POST", "/api/v1/api-keys", Map.of("name", "mine", "scopes", List.of("settings:write")));
        assertThat(more.status()).as(more.body()).isEqualTo(400);
        assertThat(more.body()).contains("scopes[0]").contains("more than your own role allows");
        Reply fitting = as(kim, "POST", "/api/v1/api-keys", Map.of("name", "reader", "scopes", List.of("content:read")));
        assertThat(fitting.status()).as(fitting.body()).isEqualTo(201);
        String reader = fitting.json().get("key").asText();
        assertThat(as(reader, "GET", "/api/v1/messages", null).status()).isEqualTo(200);
        // she may invite, but not as someone holding more than she does
        Reply grant = as(kim, "POST", "/api/v1/users", Map.of("email", "lev@shop.example", "role", "administrator"));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.body()).contains("\"role\"").contains("more than your own role allows");
        // nor give herself another role
        String kimId = accounts.findUser("kim@shop.example").orElseThrow().id();
        assertThat(as(kim, "PUT", "/api/v1/users/" + kimId, Map.of("role", roleId)).body()).contains("is your own");
    }

    @Test
    void theLastOwnerStaysAndADeactivatedMembersKeysStop() {
        String ownerId = accounts.findUser("admin@orbita.local").orElseThrow().id();
        Reply demote = ApiTestSupport.json(port, "PUT", "/api/v1/users/" + ownerId, Map.of("role", "viewer"));
        assertThat(demote.status()).isEqualTo(400);
        assertThat(demote.body()).contains("last owner");

        String ann = member("ann@shop.example", "viewer");
        assertThat(as(ann, "GET", "/api/v1/messages", null).status()).isEqualTo(200);
        String annId = accounts.findUser("ann@shop.example").orElseThrow().id();
        assertThat(ApiTestSupport.json(port, "PUT", "/api/v1/users/" + annId, Map.of("active", false)).json().get("active").asBoolean()).isFalse();
        Reply stopped = as(ann, "GET", "/api/v1/messages", null);
        assertThat(stopped.status()).isEqualTo(401);
        assertThat(stopped.body()).contains("deactivated");
        ApiTestSupport.json(port, "PUT", "/api/v1/users/" + annId, Map.of("active", true));
        assertThat(as(ann, "GET", "/api/v1/messages", null).status()).isEqualTo(200);

        // removed from the workspace (her only one): gone, and her key with her
        assertThat(ApiTestSupport.json(port, "DELETE", "/api/v1/users/" + annId, null).status()).isEqualTo(204);
        assertThat(as(ann, "GET", "/api/v1/messages", null).status()).isEqualTo(401);
        assertThat(accounts.findUser("ann@shop.example")).isEmpty();
    }

    @Test
    void anExpiredKeyFailsAndAnotherWorkspacesPeopleAreNotFound() throws InterruptedException {
        String old = accounts.createKey("demo", "old", List.of("content:read"), null, Instant.now().plusMillis(300));
        assertThat(as(old, "GET", "/api/v1/messages", null).status()).isEqualTo(200);
        ApiTestSupport.waitFor(() -> as(old, "GET", "/api/v1/messages", null).status() == 401);
        assertThat(as(old, "GET", "/api/v1/messages", null).body()).contains("expired");

        Team.Invited elsewhere = team.invite("other-shop", "zed@other.example", "Zed", "owner");
        Reply peek = ApiTestSupport.json(port, "GET", "/api/v1/users/" + elsewhere.member().id(), null);
        assertThat(peek.status()).isEqualTo(404);
        assertThat(ApiTestSupport.json(port, "DELETE", "/api/v1/users/" + elsewhere.member().id(), null).status()).isEqualTo(404);
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/users", null).body()).doesNotContain("zed@other.example");
    }

    @Test
    void changesAndRefusalsAreAuditedAndOutliveTheirObjects() {
        String mia = member("audit-mia@shop.example", "marketer");
        String viewer = member("audit-vic@shop.example", "viewer");
        Reply created = as(mia, "POST", "/api/v1/messages", Map.of("name", "Audited", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>")));
        String id = created.json().get("id").asText();
        assertThat(as(mia, "PUT", "/api/v1/messages/" + id, Map.of("name", "Audited again", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).status()).isEqualTo(200);
        assertThat(as(mia, "DELETE", "/api/v1/messages/" + id, null).status()).isEqualTo(204);
        // a viewer's key with every scope: the role refuses, and the refusal is a line too
        assertThat(as(viewer, "POST", "/api/v1/messages", Map.of("name", "Nope")).status()).isEqualTo(403);
        // the admin key reads the log: the message's three lines, newest first, though the message is gone
        Reply lines = ApiTestSupport.json(port, "GET", "/api/v1/audit?objectId=" + id, null);
        assertThat(lines.status()).as(lines.body()).isEqualTo(200);
        assertThat(lines.json().get("lines").findValuesAsText("action")).containsExactly("messages:delete", "messages:write", "messages:write");
        assertThat(lines.json().get("lines").findValuesAsText("actorName")).containsOnly("audit-mia@shop.example · key audit-mia@shop.example");
        assertThat(lines.json().at("/lines/1/detail").asText()).contains("name").contains("version").doesNotContain("email");
        assertThat(lines.json().at("/lines/1/before").asText()).isEqualTo(lines.json().at("/lines/2/after").asText()).hasSize(64);
        assertThat(lines.json().at("/lines/0/address").asText()).isEqualTo("127.0.0.1");
        Reply refusals = ApiTestSupport.json(port, "GET", "/api/v1/audit?outcome=refused&actor=audit-vic", null);
        assertThat(refusals.json().get("lines").findValuesAsText("objectId")).contains("POST /api/v1/messages");
        // the chain holds; the export has every line; bad filters are named
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/audit/verify", null).json().get("brokenAt").asLong()).isZero();
        Reply csv = ApiTestSupport.send(port, "GET", "/api/v1/audit/export?format=csv&objectId=" + id, ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body().lines().count()).isEqualTo(4);
        assertThat(csv.body()).contains("messages:delete");
        Reply xlsx = ApiTestSupport.send(port, "GET", "/api/v1/audit/export?format=xlsx", ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(xlsx.status()).isEqualTo(200);
        assertThat(xlsx.body()).startsWith("PK");
        Reply badTime = ApiTestSupport.json(port, "GET", "/api/v1/audit?from=yesterday", null);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.body()).contains("from");
        // a marketer's key may not read the log at all
        assertThat(as(mia, "GET", "/api/v1/audit", null).status()).isEqualTo(403);
        assertThat(as(mia, "GET", "/api/v1/audit/export", null).status()).isEqualTo(403);
    }

    @Test
    void grantingMoreThanOnesOwnIsRefusedAndAudited() {
        String adam = member("audit-adam@shop.example", "administrator");
        Reply owner = as(adam, "POST", "/api/v1/users", Map.of("email", "audit-new@shop.example", "role", "owner"));
        assertThat(owner.status()).isEqualTo(400);
        Reply lines = ApiTestSupport.json(port, "GET", "/api/v1/audit?outcome=refused&actor=audit-adam", null);
        assertThat(lines.json().get("lines").findValuesAsText("detail")).anyMatch(d -> d.contains("only an owner gives the owner's role"));
    }

    @Test
    void aMemberOfAGroupSeesOnlyItsObjectsAndEverythingElseIsMissing() {
        String eu = ApiTestSupport.json(port, "POST", "/api/v1/groups", Map.of("name", "Europe")).json().get("id").asText();
        String us = ApiTestSupport.json(port, "POST", "/api/v1/groups", Map.of("name", "Americas")).json().get("id").asText();
        String mia = member("group-mia@shop.example", "marketer");
        String miaId = accounts.findUser("group-mia@shop.example").orElseThrow().id();
        Reply placed = ApiTestSupport.json(port, "PUT", "/api/v1/users/" + miaId + "/groups", Map.of("groups", List.of(eu)));
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        assertThat(placed.json().get("groups").findValuesAsText("")).isEmpty();
        assertThat(placed.json().get("groups").get(0).asText()).isEqualTo(eu);

        // the administrator's objects, each of a grouped kind, in main only
        Reply db = ApiTestSupport.json(port, "POST", "/api/v1/databases", Map.of("id", "grp-hidden", "name", "Hidden", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        String segment = ApiTestSupport.json(port, "POST", "/api/v1/segments", Map.of("databaseId", "grp-hidden", "name", "All", "kind", "static"))
                .json().at("/segment/id").asText();
        String message = ApiTestSupport.json(port, "POST", "/api/v1/messages", Map.of("name", "Main only", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).json().get("id").asText();
        Reply campaign = ApiTestSupport.json(port, "POST", "/api/v1/campaigns", Map.of("name", "Main only", "database", "grp-hidden",
                "segments", List.of(segment), "messageId", message, "channels", List.of("email")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String journey = ApiTestSupport.json(port, "POST", "/api/v1/journeys", Map.of("name", "Main only", "databaseId", "grp-hidden"))
                .json().at("/definition/id").asText();
        Map<String, String> objects = Map.of("databases", "grp-hidden", "segments", segment, "messages", message,
                "campaigns", campaign.json().get("id").asText(), "journeys", journey);
        // out of her sight: missing (404), to read, to change, to delete, to regroup — and not listed
        objects.forEach((kind, id) -> {
            assertThat(as(mia, "GET", "/api/v1/" + kind + "/" + id, null).status()).as(kind).isEqualTo(404);
            assertThat(as(mia, "DELETE", "/api/v1/" + kind + "/" + id, null).status()).as(kind).isIn(404, 403);
            assertThat(as(mia, "PUT", "/api/v1/groups/objects/" + kind + "/" + id, Map.of("groups", List.of(eu))).status()).as(kind).isEqualTo(404);
            assertThat(as(mia, "GET", "/api/v1/" + kind, null).body()).as(kind).doesNotContain(id);
            assertThat(ApiTestSupport.json(port, "GET", "/api/v1/" + kind + "/" + id, null).status()).as(kind).isEqualTo(200);
        });
        assertThat(as(mia, "PUT", "/api/v1/messages/" + message, Map.of("name", "Taken", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).status()).isEqualTo(404);
        assertThat(as(mia, "POST", "/api/v1/databases/grp-hidden/profiles", Map.of("fields", Map.of("email", "x@shop.example"))).status())
                .isEqualTo(404);

        // placed in Americas: still out of her sight; in Europe: hers to see
        assertThat(ApiTestSupport.json(port, "PUT", "/api/v1/groups/objects/messages/" + message, Map.of("groups", List.of(us))).status()).isEqualTo(200);
        assertThat(as(mia, "GET", "/api/v1/messages/" + message, null).status()).isEqualTo(404);
        assertThat(ApiTestSupport.json(port, "PUT", "/api/v1/groups/objects/messages/" + message, Map.of("groups", List.of(us, eu))).status()).isEqualTo(200);
        assertThat(as(mia, "GET", "/api/v1/messages/" + message, null).status()).isEqualTo(200);
        assertThat(as(mia, "GET", "/api/v1/groups/objects/messages/" + message, null).json().get("groups").size()).isEqualTo(2);

        // what she makes is in her group, seen by her and by main, not by another group's member
        String own = as(mia, "POST", "/api/v1/messages", Map.of("name", "Mia's", "email",
                Map.of("subject", "Hi", "fromAddress", "news@shop.example", "html", "<p>Hi</p>"))).json().get("id").asText();
        assertThat(as(mia, "GET", "/api/v1/groups/objects/messages/" + own, null).json().get("groups").get(0).asText()).isEqualTo(eu);
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/messages/" + own, null).status()).isEqualTo(200);
        String ulf = member("group-ulf@shop.example", "marketer");
        ApiTestSupport.json(port, "PUT", "/api/v1/users/" + accounts.findUser("group-ulf@shop.example").orElseThrow().id() + "/groups",
                Map.of("groups", List.of(us)));
        assertThat(as(ulf, "GET", "/api/v1/messages/" + own, null).status()).isEqualTo(404);

        // she cannot move her object to a group she is not in (she would lose it), and the refusal is audited
        Reply away = as(mia, "PUT", "/api/v1/groups/objects/messages/" + own, Map.of("groups", List.of(us)));
        assertThat(away.status()).isEqualTo(400);
        assertThat(away.body()).contains("groups[0]").contains("not one of your groups");
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/audit?outcome=refused&actor=group-mia", null).json().get("lines")
                .findValuesAsText("detail")).anyMatch(d -> d.contains("not a group of the one placing it"));
        // nor give herself more sight (a marketer manages nobody), nor name a group that does not exist
        assertThat(as(mia, "PUT", "/api/v1/users/" + miaId + "/groups", Map.of("groups", List.of("main"))).status()).isEqualTo(403);
        Reply unknown = ApiTestSupport.json(port, "PUT", "/api/v1/groups/objects/messages/" + own, Map.of("groups", List.of("group-nope")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("is not a group of this workspace");
        // a key narrowed to some of its user's groups (scopes ∩ role ∩ groups); never to a group its user is not in
        String superKey = accounts.createKey("demo", "super-groups", Scope.ids(), accounts.findUser("admin@orbita.local").orElseThrow().id(), null);
        Reply narrowed = as(superKey, "POST", "/api/v1/api-keys", Map.of("name", "Americas only", "scopes", List.of("content:read"),
                "groups", List.of(us)));
        assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(201);
        String usKey = narrowed.json().get("key").asText();
        assertThat(narrowed.json().at("/view/groups/0").asText()).isEqualTo(us);
        assertThat(as(usKey, "GET", "/api/v1/messages/" + message, null).status()).isEqualTo(200); // placed in Americas and Europe
        assertThat(as(usKey, "GET", "/api/v1/messages/" + own, null).status()).isEqualTo(404); // Europe only
        String miaKeys = accounts.createKey("demo", "mia-keys", Scope.ids(), miaId, null);
        ApiTestSupport.json(port, "PUT", "/api/v1/users/" + miaId, Map.of("role", "administrator"));
        Reply wider = as(miaKeys, "POST", "/api/v1/api-keys", Map.of("name", "More", "scopes", List.of("content:read"), "groups", List.of(us)));
        assertThat(wider.status()).isEqualTo(400);
        assertThat(wider.body()).contains("groups[0]").contains("a key never sees more than you");
    }

    @Test
    void aSuperAdministratorMakesWorkspacesAndNobodyElse() {
        String superKey = accounts.createKey("demo", "super", Scope.ids(), accounts.findUser("admin@orbita.local").orElseThrow().id(), null);
        Reply made = as(superKey, "POST", "/api/v1/workspaces", Map.of("id", "shop-eu", "name", "Shop Europe"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(accounts.findUser("admin@orbita.local").orElseThrow().roleIn("shop-eu")).isEqualTo("owner");
        assertThat(as(superKey, "GET", "/api/v1/workspaces", null).json().findValuesAsText("id")).contains("demo", "shop-eu");
        Reply again = as(superKey, "POST", "/api/v1/workspaces", Map.of("id", "Shop EU!", "name", ""));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("errors").findValuesAsText("field")).containsExactly("id", "name");
        // an administrator of a workspace who is not a super-administrator makes none
        String olga = member("ws-olga@shop.example", "administrator");
        Reply refused = as(olga, "POST", "/api/v1/workspaces", Map.of("id", "olgas", "name", "Olga's"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains("only a super-administrator makes workspaces");
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/audit?outcome=refused&actor=ws-olga", null).json().get("lines")
                .findValuesAsText("detail")).contains("only a super-administrator makes workspaces");
    }
}
