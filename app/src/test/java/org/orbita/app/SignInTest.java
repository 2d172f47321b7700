package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.orbita.access.Totp;
import org.orbita.app.security.Accounts;
import org.orbita.app.security.SecurityPolicies;
import org.orbita.app.security.SignInGuard;
import org.orbita.app.security.Team;
import org.orbita.app.security.TwoFactorSignIn;
import org.orbita.app.security.UserAccount;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in to the UI: the form carries its page's token (a form posted from elsewhere signs
 * nobody in), failures slow the next attempts down and then lock the account, every refusal is
 * audited, and the session cookie is SameSite=Lax and HttpOnly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInTest {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    Team team;

    @Autowired
    SecurityPolicies policies;

    @Autowired
    SignInGuard guard;

    @Autowired
    TwoFactorSignIn twoFactor;

    @Autowired
    UserDetailsService userDetails;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
        registry.add("orbita.sign-in.free-attempts", () -> 3);
        registry.add("orbita.sign-in.base-delay", () -> "1s");
        registry.add("orbita.sign-in.lockout-after", () -> 4);
        registry.add("orbita.sign-in.lockout", () -> "1h");
        // the test's directory listens on loopback: allowed here as an administrator would allow their directory's host
        registry.add("orbita.content.external.allowed-hosts", () -> "127.0.0.1");
    }

    /** A browser: its own cookies, redirects not followed. */
    private final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The sign-in page's token, as the login form finds it in the page's meta tags. */
        String token() throws Exception {
            HttpResponse<String> page = get("/login");
            Matcher m = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(page.body());
            assertThat(page.body()).contains("<meta name=\"_csrf_parameter\" content=\"_csrf\">");
            assertThat(m.find()).as("the page's sign-in token").isTrue();
            return m.group(1);
        }

        /** Posts the form; returns where it sends the browser. */
        String signIn(String email, String password, String token) throws Exception {
            String form = "username=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                    + (token == null ? "" : "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(302);
            return r.headers().firstValue("Location").orElseThrow().replace("http://localhost:" + port, "");
        }
    }

    @Test
    void theSessionCookieIsLaxAndHttpOnly() throws Exception {
        List<String> cookies = new Browser().get("/login").headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Lax"));
    }

    @Test
    void aFormWithoutItsPagesTokenSignsNobodyIn() throws Exception {
        Browser victim = new Browser();
        victim.get("/login");
        // a form on another site, posted in the victim's browser with the attacker's credentials
        assertThat(victim.signIn("admin@orbita.local", ApiTestSupport.ADMIN_PASSWORD, null)).isEqualTo("/login?error=expired");
        assertThat(victim.signIn("admin@orbita.local", ApiTestSupport.ADMIN_PASSWORD, "forged")).isEqualTo("/login?error=expired");
        assertThat(victim.get("/").statusCode()).isEqualTo(302); // still signed out
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/system/sign-ins", null).body()).contains("no-token");
    }

    @Test
    void failuresSlowTheNextAttemptsDownThenLockTheAccountAndAreAudited() throws Exception {
        accounts.createUser("eve@shop.example", "Eve", "eve-password-1", Map.of("demo", "marketer"));
        Browser b = new Browser();
        String token = b.token();
        for (int i = 0; i < 3; i++) {
            assertThat(b.signIn("eve@shop.example", "wrong-" + i, token)).isEqualTo("/login?error");
        }
        // the fourth attempt comes too soon: refused before its password is looked at, even the right one
        assertThat(b.signIn("eve@shop.example", "eve-password-1", token)).startsWith("/login?error=wait&seconds=");
        Thread.sleep(1100);
        // after the wait, the right password lets Eve in and clears the count
        assertThat(b.signIn("eve@shop.example", "eve-password-1", token)).isEqualTo("/");

        Browser other = new Browser();
        String t = other.token();
        for (int i = 0; i < 3; i++) {
            assertThat(other.signIn("eve@shop.example", "guess-" + i, t)).isEqualTo("/login?error");
        }
        Thread.sleep(1100);
        assertThat(other.signIn("eve@shop.example", "guess-3", t)).isEqualTo("/login?error"); // the fourth failure locks the account
        Thread.sleep(2100);
        String locked = other.signIn("eve@shop.example", "eve-password-1", t);
        assertThat(locked).startsWith("/login?error=wait&seconds=");
        assertThat(Long.parseLong(locked.replaceAll(".*seconds=", ""))).isGreaterThan(3000);

        ApiTestSupport.Reply audit = ApiTestSupport.json(port, "GET", "/api/v1/system/sign-ins?limit=50", null);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().findValuesAsText("outcome")).contains("failed", "throttled", "lockout", "locked");
        assertThat(audit.json().findValuesAsText("actorName")).contains("eve@shop.example");
        assertThat(audit.json().findValuesAsText("address")).contains("127.0.0.1");
        assertThat(audit.body()).doesNotContain("guess-").doesNotContain("eve-password");
    }

    @Test
    void anInvitedUserSignsInOnceTheirPasswordIsSetAndADeactivatedOneNoMore() throws Exception {
        Team.Invited invited = team.invite("demo", "ivan@shop.example", "Ivan", "analyst");
        Browser b = new Browser();
        String token = b.token();
        // no password yet: nothing signs him in
        assertThat(b.signIn("ivan@shop.example", "", token)).isEqualTo("/login?error");
        assertThatThrownBy(() -> team.accept(invited.token(), "short")).hasMessageContaining("at least 12 characters");
        assertThatThrownBy(() -> team.accept(invited.token(), "Password12345!")).hasMessageContaining("most common passwords");
        assertThatThrownBy(() -> team.accept(invited.token(), "ivan-is-me-2026")).hasMessageContaining("not contain your email");
        team.accept(invited.token(), "Lantern-Quartz-58");
        assertThatThrownBy(() -> team.accept(invited.token(), "Lantern-Quartz-59")).hasMessageContaining("not valid");
        assertThat(signInWhenAllowed(b, "ivan@shop.example", "Lantern-Quartz-58", token)).isEqualTo("/");

        team.setActive("demo", invited.member().id(), false);
        Browser later = new Browser();
        assertThat(signInWhenAllowed(later, "ivan@shop.example", "Lantern-Quartz-58", later.token())).isEqualTo("/login?error");
    }

    /** Signs in, waiting first when this address's earlier failures (of other tests too) ask it to. */
    private String signInWhenAllowed(Browser b, String email, String password, String token) throws Exception {
        String answer = b.signIn(email, password, token);
        if (answer.startsWith("/login?error=wait&seconds=")) {
            Thread.sleep(Long.parseLong(answer.replaceAll(".*seconds=", "")) * 1000 + 200);
            answer = b.signIn(email, password, token);
        }
        return answer;
    }

    @Test
    void aSecondFactorTakesEachCodeOnceAndEachRecoveryCodeOnce() {
        UserAccount una = accounts.createUser("una@shop.example", "Una", "una-password-1", Map.of("demo", "viewer"));
        String secret = twoFactor.start(una);
        byte[] key = Totp.fromBase32(secret);
        String now = Totp.code(key, Totp.step(Instant.now()), 6, "HmacSHA1");
        assertThatThrownBy(() -> twoFactor.confirm(accounts.user(una.id()).orElseThrow(), "000000".equals(now) ? "111111" : "000000"))
                .hasMessageContaining("is not the code");
        List<String> recovery = twoFactor.confirm(accounts.user(una.id()).orElseThrow(), now);
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        UserAccount on = accounts.user(una.id()).orElseThrow();
        assertThat(on.twoFactorOn()).isTrue();
        assertThat(on.twoFactor().recoveryHashes()).doesNotContainAnyElementsOf(recovery); // kept hashed
        // the password alone gives no role
        assertThat(userDetails.loadUserByUsername("una@shop.example").getAuthorities()).extracting(Object::toString).containsExactly("FACTOR_PASSWORD");
        // the code that turned it on is used up: a replay at sign-in is refused
        assertThat(twoFactor.verifyAtSignIn(on, now, "10.9.9.9")).isFalse();
        assertThat(twoFactor.verifyAtSignIn(accounts.user(una.id()).orElseThrow(), recovery.get(0), "10.9.9.9")).isTrue();
        assertThat(twoFactor.verifyAtSignIn(accounts.user(una.id()).orElseThrow(), recovery.get(0), "10.9.9.9")).isFalse();
        assertThat(accounts.user(una.id()).orElseThrow().twoFactor().recoveryHashes()).hasSize(9);
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/system/sign-ins?limit=50", null).json().findValuesAsText("outcome"))
                .contains("second-factor", "second-factor-failed");
    }

    @Test
    void theWorkspacesPasswordRulesApplyToNewPasswordsAndTheirLifetime() {
        // rules set through the API; bad values are named
        ApiTestSupport.Reply bad = ApiTestSupport.json(port, "PUT", "/api/v1/settings/security",
                Map.of("requireTwoFactor", false, "password", Map.of("minLength", 4, "classes", 5, "history", 3, "expiryDays", 0, "refuseCommon", true)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactly("password.minLength", "password.classes");
        ApiTestSupport.Reply set = ApiTestSupport.json(port, "PUT", "/api/v1/settings/security",
                Map.of("requireTwoFactor", false, "password", Map.of("minLength", 14, "classes", 3, "history", 2, "expiryDays", 30, "refuseCommon", true)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        try {
            Team.Invited invited = team.invite("demo", "pia@shop.example", "Pia", "viewer");
            assertThatThrownBy(() -> team.accept(invited.token(), "lowercase-only-words")).hasMessageContaining("at least 3 kinds");
            UserAccount pia = team.accept(invited.token(), "Granite-Orbit-771");
            // not the current password again, nor the one before it
            UserAccount second = accounts.setPassword(pia, "Velvet-Harbor-204", policies.passwordPolicyFor(pia));
            assertThatThrownBy(() -> accounts.setPassword(second, "Velvet-Harbor-204", policies.passwordPolicyFor(second)))
                    .hasMessageContaining("last 2 passwords");
            assertThatThrownBy(() -> accounts.setPassword(second, "Granite-Orbit-771", policies.passwordPolicyFor(second)))
                    .hasMessageContaining("last 2 passwords");
            assertThat(policies.passwordExpired(second)).isFalse();
            // set 31 days ago: past its 30-day lifetime, its user is sent to change it
            UserAccount old = accounts.saveUser(second.withPassword(second.passwordHash(), Instant.now().minus(Duration.ofDays(31))));
            assertThat(policies.passwordExpired(old)).isTrue();
        } finally {
            ApiTestSupport.json(port, "PUT", "/api/v1/settings/security", Map.of("requireTwoFactor", false,
                    "password", Map.of("minLength", 12, "classes", 2, "history", 3, "expiryDays", 0, "refuseCommon", true)));
        }
    }

    @Test
    void aDirectoryLetsItsPeopleInWithTheirRoleAndGroupsAndLocalSignInOutlivesIt() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=shop,dc=example");
        config.addAdditionalBindCredentials("cn=orbita,dc=shop,dc=example", "service-secret");
        config.setSchema(null); // memberOf written as the directory's overlay would
        InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(config);
        ldap.startListening();
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ldap.add("dn: dc=shop,dc=example", "objectClass: domain", "dc: shop");
            ldap.add("dn: ou=people,dc=shop,dc=example", "objectClass: organizationalUnit", "ou: people");
            ldap.add("dn: uid=dora,ou=people,dc=shop,dc=example", "objectClass: inetOrgPerson", "uid: dora", "cn: Dora Diaz", "sn: Diaz",
                    "mail: dora@shop.example", "userPassword: Dora-Directory-1", "memberOf: cn=Marketing,ou=groups,dc=shop,dc=example");
            ldap.add("dn: uid=sam,ou=people,dc=shop,dc=example", "objectClass: inetOrgPerson", "uid: sam", "cn: Sam", "sn: S",
                    "mail: sam@shop.example", "userPassword: Sam-Directory-1", "memberOf: cn=Kitchen,ou=groups,dc=shop,dc=example");
            String europe = ApiTestSupport.json(port, "POST", "/api/v1/groups", Map.of("name", "Directory Europe")).json().get("id").asText();
            int dead;
            try (ServerSocket s = new ServerSocket(0)) {
                dead = s.getLocalPort(); // nothing listens here once closed: the first host is down, the backup answers
            }
            Map<String, Object> settings = new java.util.LinkedHashMap<>(Map.of("enabled", true,
                    "urls", List.of("ldap://127.0.0.1:" + dead, "ldap://127.0.0.1:" + ldap.getListenPort()),
                    "bindDn", "cn=orbita,dc=shop,dc=example", "bindPassword", "service-secret", "userBase", "ou=people,dc=shop,dc=example",
                    "roleOfGroup", Map.of("cn=Marketing,ou=groups,dc=shop,dc=example", "marketer"),
                    "groupsOfGroup", Map.of("cn=Marketing,ou=groups,dc=shop,dc=example", List.of(europe))));
            ApiTestSupport.Reply saved = ApiTestSupport.json(port, "PUT", "/api/v1/settings/directory", settings);
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            assertThat(saved.body()).doesNotContain("service-secret").contains("\"bindPasswordSet\":true");
            assertThat(ApiTestSupport.json(port, "POST", "/api/v1/settings/directory/check", null).json().get("ok").asBoolean()).isTrue();
            ApiTestSupport.Reply bad = ApiTestSupport.json(port, "PUT", "/api/v1/settings/directory", Map.of("urls", List.of("http://x"),
                    "userBase", "", "userFilter", "(uid=*)", "roleOfGroup", Map.of("cn=x", "no-such-role")));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("errors").findValuesAsText("field")).contains("urls[0]", "userBase", "userFilter", "roleOfGroup[0]");

            // Dora signs in with her directory name and password: an account, the role and the group her directory group gives
            Browser b = new Browser();
            assertThat(signInWhenAllowed(b, "dora", "Dora-Directory-1", b.token())).isEqualTo("/");
            UserAccount dora = accounts.findUser("dora@shop.example").orElseThrow();
            assertThat(dora.passwordHash()).isNull();
            assertThat(dora.roleIn("demo")).isEqualTo("marketer");
            assertThat(dora.groupsIn("demo")).containsExactly(europe);
            // a wrong password, a name that is filter syntax, a person whose groups give no role: refused
            Browser other = new Browser();
            assertThat(signInWhenAllowed(other, "dora", "wrong-password-1", other.token())).isEqualTo("/login?error");
            assertThat(signInWhenAllowed(other, "*", "Dora-Directory-1", other.token())).isEqualTo("/login?error");
            assertThat(signInWhenAllowed(other, "dora)(uid=*", "Dora-Directory-1", other.token())).isEqualTo("/login?error");
            assertThat(signInWhenAllowed(other, "sam", "Sam-Directory-1", other.token())).isEqualTo("/login?error");
            assertThat(accounts.findUser("sam@shop.example")).isEmpty();

            // the directory down, then silent: a clear refusal within 5 s, and the local administrator still signs in
            ldap.shutDown(true);
            settings.put("urls", List.of("ldap://127.0.0.1:" + dead, "ldap://127.0.0.1:" + silent.getLocalPort()));
            settings.remove("bindPassword");
            assertThat(ApiTestSupport.json(port, "PUT", "/api/v1/settings/directory", settings).status()).isEqualTo(200);
            Browser down = new Browser();
            String token = down.token();
            long started = System.nanoTime();
            String answer = down.signIn("dora@shop.example", "Dora-Directory-1", token);
            if (answer.startsWith("/login?error=wait&seconds=")) { // this address's earlier failures: wait, then time the attempt alone
                Thread.sleep(Long.parseLong(answer.replaceAll(".*seconds=", "")) * 1000 + 200);
                started = System.nanoTime();
                answer = down.signIn("dora@shop.example", "Dora-Directory-1", token);
            }
            assertThat(answer).isEqualTo("/login?error");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
            assertThat(down.get("/login?error").statusCode()).isEqualTo(200);
            Browser admin = new Browser();
            assertThat(signInWhenAllowed(admin, "admin@orbita.local", ApiTestSupport.ADMIN_PASSWORD, admin.token())).isEqualTo("/");
            assertThat(ApiTestSupport.json(port, "GET", "/api/v1/system/sign-ins?limit=20", null).json().findValuesAsText("outcome"))
                    .contains("directory-unreachable");
        } finally {
            guard.succeeded("", "127.0.0.1"); // this address's failures here do not slow the other tests down
            ldap.shutDown(true);
            ApiTestSupport.json(port, "PUT", "/api/v1/settings/directory", Map.of("enabled", false, "urls", List.of("ldap://127.0.0.1:1"),
                    "userBase", "ou=people,dc=shop,dc=example"));
        }
    }

    /** Follows one redirect; returns where the next one points (or the final path). */
    private static String hop(Browser b, String location) throws Exception {
        HttpResponse<String> r = b.http.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
        return r.headers().firstValue("Location").orElse("(" + r.statusCode() + ")");
    }

    /** A whole OpenID Connect sign-in from Orbita's button to the provider and back; returns where Orbita sends the browser at the end. */
    private String signInWithProvider(Browser b) throws Exception {
        String toProvider = hop(b, "http://localhost:" + port + "/oauth2/authorization/demo");
        assertThat(toProvider).contains("/authorize?").contains("client_id=orbita-app").contains("scope=openid");
        String back = hop(b, toProvider);
        assertThat(back).startsWith("http://localhost:" + port + "/login/oauth2/code/demo?code=");
        return hop(b, back).replace("http://localhost:" + port, "");
    }

    @Test
    void anIdentityProviderSignsPeopleInWithTheirRoleAndGroupsAndAForgedTokenIsRefused() throws Exception {
        try (OidcProviderOnLoopback provider = new OidcProviderOnLoopback("orbita-app", "client-secret-1")) {
            String sales = ApiTestSupport.json(port, "POST", "/api/v1/groups", Map.of("name", "SSO Sales")).json().get("id").asText();
            ApiTestSupport.Reply saved = ApiTestSupport.json(port, "PUT", "/api/v1/settings/sso", Map.of("enabled", true, "label", "Shop ID",
                    "issuer", provider.issuer(), "clientId", "orbita-app", "clientSecret", "client-secret-1",
                    "roleOfValue", Map.of("crm-analysts", "analyst"), "groupsOfValue", Map.of("crm-analysts", List.of(sales))));
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            assertThat(saved.body()).doesNotContain("client-secret-1").contains("\"clientSecretSet\":true");
            ApiTestSupport.Reply bad = ApiTestSupport.json(port, "PUT", "/api/v1/settings/sso", Map.of("issuer", "ftp://x", "roleOfValue", Map.of("a", "nope")));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("errors").findValuesAsText("field")).contains("issuer", "clientId", "roleOfValue[0]");

            // Ana signs in at the provider: an account with the analyst role and the Sales group, her session signed in
            provider.person = Map.of("sub", "ana-1", "email", "ana@shop.example", "email_verified", true, "name", "Ana Alves",
                    "groups", List.of("crm-analysts", "kitchen"));
            Browser b = new Browser();
            assertThat(signInWithProvider(b)).isEqualTo("/");
            assertThat(b.get("/account").statusCode()).isEqualTo(200);
            assertThat(new Browser().get("/account").statusCode()).isEqualTo(302); // a stranger's browser is sent to sign in
            UserAccount ana = accounts.findUser("ana@shop.example").orElseThrow();
            assertThat(ana.passwordHash()).isNull();
            assertThat(ana.roleIn("demo")).isEqualTo("analyst");
            assertThat(ana.groupsIn("demo")).containsExactly(sales);
            assertThat(ApiTestSupport.json(port, "GET", "/api/v1/system/sign-ins?limit=10", null).json().findValuesAsText("actorName"))
                    .contains("ana@shop.example");

            // someone whose groups give no role, an unverified email, a token signed with another key: not let in
            provider.person = Map.of("sub", "kim-1", "email", "kim@shop.example", "email_verified", true, "groups", List.of("kitchen"));
            assertThat(signInWithProvider(new Browser())).isEqualTo("/login?error=sso");
            provider.person = Map.of("sub", "uma-1", "email", "uma@shop.example", "email_verified", false, "groups", List.of("crm-analysts"));
            assertThat(signInWithProvider(new Browser())).isEqualTo("/login?error=sso");
            provider.person = Map.of("sub", "fay-1", "email", "fay@shop.example", "email_verified", true, "groups", List.of("crm-analysts"));
            provider.forge = true;
            assertThat(signInWithProvider(new Browser())).isEqualTo("/login?error=sso");
            assertThat(accounts.findUser("kim@shop.example")).isEmpty();
            assertThat(accounts.findUser("uma@shop.example")).isEmpty();
            assertThat(accounts.findUser("fay@shop.example")).isEmpty();
        } finally {
            ApiTestSupport.json(port, "PUT", "/api/v1/settings/sso", Map.of("enabled", false, "issuer", "http://127.0.0.1:1", "clientId", "x"));
        }
    }

    @Autowired
    org.orbita.app.security.Sessions sessions;

    private static String sessionId(Browser b) {
        return ((CookieManager) b.http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("JSESSIONID")).findFirst().orElseThrow().getValue();
    }

    @Test
    void aUserSeesTheirBrowsersAndSignsTheOthersOut() throws Exception {
        accounts.createUser("sol@shop.example", "Sol", "Sol-Browsers-2026", Map.of("demo", "viewer"));
        Browser laptop = new Browser();
        Browser phone = new Browser();
        assertThat(signInWhenAllowed(laptop, "sol@shop.example", "Sol-Browsers-2026", laptop.token())).isEqualTo("/");
        assertThat(signInWhenAllowed(phone, "sol@shop.example", "Sol-Browsers-2026", phone.token())).isEqualTo("/");
        String here = sessionId(laptop);
        assertThat(sessions.list("sol@shop.example", here)).hasSize(2).filteredOn(org.orbita.app.security.Sessions.Session::current).hasSize(1);
        assertThat(sessions.list("sol@shop.example", here)).allSatisfy(s -> assertThat(s.id()).hasSizeLessThanOrEqualTo(6));
        assertThat(sessions.endOthers("sol@shop.example", here)).isEqualTo(1);
        // the phone's next request goes to the sign-in page, saying why; the laptop goes on
        HttpResponse<String> ended = phone.get("/account");
        assertThat(ended.statusCode()).isEqualTo(302);
        assertThat(ended.headers().firstValue("Location").orElse("")).endsWith("/login?error=elsewhere");
        assertThat(laptop.get("/account").statusCode()).isEqualTo(200);
        assertThat(sessions.list("sol@shop.example", here)).hasSize(1);
    }
}
