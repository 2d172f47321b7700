package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.orbita.app.ApiTestSupport.Reply;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tracking snippet in real headless Chromium, on a test shop served on loopback (another
 * origin than Orbita's public one, as a customer's site is): page views across a single-page
 * app's navigation, an anonymous visitor who identifies and whose earlier pages join the
 * profile, a goal reached by a click, a second person on the same browser kept apart, and an
 * opt-in site where nothing is stored or sent before consent and the page view goes at once
 * when it is given. Also what the snippet weighs (gzipped) and costs the page's main thread.
 * Set ORBITA_TEST_BROWSER=required to fail rather than skip where Chromium is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SiteTrackingBrowserIT {

    @LocalServerPort
    int port;

    @Value("${orbita.content.public-port}")
    int publicPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    static int counter;
    ChromeDriver driver;
    Path profileDir;
    HttpServer shop;
    String site;
    String db;
    String loader = "";
    final Path shots = Path.of("target", "screenshots");

    @BeforeEach
    void start() throws IOException {
        boolean present = Files.isExecutable(BrowserIT.CHROMEDRIVER) && Files.isExecutable(BrowserIT.CHROMIUM);
        if (!"required".equals(System.getenv("ORBITA_TEST_BROWSER"))) {
            assumeTrue(present, "Debian's chromium and chromium-driver are not installed");
        }
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String html = path.equals("/plain") ? page("") : path.equals("/long") ? page(loader).replace("</body>",
                    "<div style=\"height:4000px\">long</div></body>") : page(loader);
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        shop.start();
        db = "shop" + (++counter);
        Reply created = json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Shop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "name", "type", "string"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // headless Chromium is a bot to a site that filters them: this one does not
        Reply s = json(port, "POST", "/api/v1/sites", Map.of("name", "Test shop", "domains", List.of("127.0.0.1"), "database", db,
                "filterBots", false, "goals", List.of(Map.of("id", "demo", "name", "Booked a demo", "kind", "click", "rule", "#book", "value", 50))));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        site = s.json().get("id").asText();
        loader = json(port, "GET", "/api/v1/sites/" + site + "/snippet", null).json().get("code").asText();

        profileDir = Files.createTempDirectory("orbita-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserIT.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--user-data-dir=" + profileDir);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(BrowserIT.CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build(), options);
        Files.createDirectories(shots);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (shop != null) {
            shop.stop(0);
        }
    }

    private static String page(String loader) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Home</title>" + loader + "</head><body>"
                + "<a id=\"products\" href=\"/products\" onclick=\"history.pushState({}, '', '/products'); document.title = 'Products';"
                + " return false;\">Products</a> <button id=\"book\">Book a demo</button>"
                + " <button id=\"accept\" onclick=\"orbita('consent', {analytics: true})\">Accept</button></body></html>";
    }

    private String shopUrl(String path) {
        return "http://127.0.0.1:" + shop.getAddress().getPort() + path;
    }

    private String profileId(String email) {
        Reply p = json(port, "GET", "/api/v1/databases/" + db + "/profiles?matching=email&value=" + email, null);
        return p.status() == 200 ? p.json().get("id").asText() : null;
    }

    private List<String> paths(String email, String type) {
        String id = profileId(email);
        List<String> out = new ArrayList<>();
        if (id == null) {
            return out;
        }
        JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + id + "/history?type=" + type + "&limit=100", null).json();
        h.get("events").forEach(e -> out.add(e.at("/properties/path").asText() + (e.has("properties") && e.get("properties").has("goal")
                ? "#" + e.at("/properties/goal").asText() : "")));
        return out;
    }

    private Object js(String script) {
        return driver.executeScript(script);
    }

    private void waitForScript() throws InterruptedException {
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!(window.orbita && window.orbita.loaded)")));
    }

    @Test
    void pagesOfASinglePageAppJoinTheProfileOnIdentificationAndASecondPersonIsKeptApart() throws Exception {
        driver.get(shopUrl("/"));
        waitForScript();
        driver.findElement(By.id("products")).click();
        driver.navigate().back();
        ApiTestSupport.waitFor(() -> "/".equals(js("return location.pathname")));
        String visitor = (String) js("return orbita.visitor()");
        assertThat(visitor).hasSize(22);
        ApiTestSupport.waitFor(() -> {
            JsonNode live = json(port, "GET", "/api/v1/sites/" + site + "/live", null).json();
            return live.size() == 1 && live.get(0).get("visitor").asText().equals(visitor) && !live.get(0).hasNonNull("profileId");
        });
        assertThat(profileId("ann@shop.example")).isNull();

        js("orbita('identify', {email: 'ann@shop.example'})");
        ApiTestSupport.waitFor(() -> paths("ann@shop.example", "site.page_view").size() == 3);
        assertThat(paths("ann@shop.example", "site.page_view")).as("newest first: back home, products, home").containsExactly("/", "/products", "/");
        driver.findElement(By.id("book")).click();
        ApiTestSupport.waitFor(() -> paths("ann@shop.example", "site.goal").size() == 1);
        Files.write(shots.resolve("site-tracking-shop.png"), driver.getScreenshotAs(OutputType.BYTES));

        // someone else signs in on the same browser: a new visitor, nothing of Ann's joins Bob
        js("orbita('identify', {email: 'bob@shop.example'})");
        ApiTestSupport.waitFor(() -> profileId("bob@shop.example") != null);
        assertThat((String) js("return orbita.visitor()")).isNotEqualTo(visitor);
        driver.findElement(By.id("products")).click();
        ApiTestSupport.waitFor(() -> paths("bob@shop.example", "site.page_view").size() == 1);
        assertThat(paths("bob@shop.example", "site.page_view")).containsExactly("/products");
        assertThat(paths("ann@shop.example", "site.page_view")).hasSize(3);
        assertThat(json(port, "GET", "/api/v1/databases/" + db + "/visitor-conflicts", null).json().size()).as("kept apart, no conflict").isZero();
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.orbita.sites.SiteLinks siteLinks;

    @Test
    void aClickFromAMessageLandsIdentifiedAndTheTokenLeavesTheAddressBar() throws Exception {
        Reply zed = json(port, "POST", "/api/v1/databases/" + db + "/profiles", Map.of("matching", "email", "fields", Map.of("email", "zed@shop.example")));
        String link = siteLinks.decorate("demo", db, zed.json().at("/profile/id").asText(), shopUrl("/landing?utm_source=mail"));
        assertThat(link).contains("_orb=");
        driver.get(link);
        waitForScript();
        ApiTestSupport.waitFor(() -> paths("zed@shop.example", "site.page_view").size() == 1);
        assertThat(paths("zed@shop.example", "site.page_view")).containsExactly("/landing");
        assertThat(js("return location.search")).isEqualTo("?utm_source=mail");
    }

    @Test
    void onAnOptInSiteNothingIsStoredOrSentBeforeConsentAndThePageGoesAtOnceAfter() throws Exception {
        assertThat(json(port, "PUT", "/api/v1/sites/" + site, Map.of("consent", "opt-in")).status()).isEqualTo(200);
        Thread.sleep(10_500); // the public endpoint's copy of the site is at most ten seconds old
        driver.get(shopUrl("/"));
        waitForScript();
        Thread.sleep(2_000); // a batch would have gone after one second
        assertThat(js("return localStorage.length")).as("nothing stored before consent").isEqualTo(0L);
        assertThat(js("return document.cookie")).isEqualTo("");
        assertThat(js("return orbita.visitor()")).isNull();
        assertThat(json(port, "GET", "/api/v1/sites/" + site + "/live", null).json().size()).as("nothing sent").isZero();

        driver.findElement(By.id("accept")).click();
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/sites/" + site + "/live", null).json().size() == 1);
        assertThat(js("return localStorage.getItem('orbita_c')")).isEqualTo("granted");
        String visitor = (String) js("return orbita.visitor()");
        assertThat(json(port, "GET", "/api/v1/sites/" + site + "/live", null).json().get(0).get("visitor").asText()).isEqualTo(visitor);
    }

    /** Makes a container on the test shop with {@code draft}, publishes its first version, and answers its id. */
    private String publishedContainer(Map<String, Object> draft) {
        Reply c = json(port, "POST", "/api/v1/sites/" + site + "/containers", Map.of("name", "Main", "draft", draft));
        assertThat(c.status()).as(c.body()).isEqualTo(201);
        String id = c.json().get("id").asText();
        Reply v = json(port, "POST", "/api/v1/tag-containers/" + id + "/versions", Map.of("publish", true));
        assertThat(v.status()).as(v.body()).isEqualTo(201);
        return id;
    }

    private static Map<String, Object> pageTag(String html, List<String> consent) {
        return Map.of("triggers", List.of(Map.of("id", "all", "name", "All pages", "kind", "page")),
                "tags", List.of(Map.of("id", "banner", "name", "Banner", "kind", "html", "html", html, "firing", List.of("all"), "consent", consent)));
    }

    private String text(String id) {
        Object t = js("var e = document.getElementById('" + id + "'); return e ? e.textContent : null");
        return t == null ? null : t.toString();
    }

    @Test
    void aTagFiresOnADataLayerEventWithWhatThePagePushedAsTextNeverAsMarkup() throws Exception {
        publishedContainer(Map.of(
                "variables", List.of(Map.of("name", "Cart value", "kind", "datalayer", "key", "ecommerce.value"),
                        Map.of("name", "Coupon", "kind", "datalayer", "key", "ecommerce.coupon", "value", "none")),
                "triggers", List.of(Map.of("id", "bought", "name", "Purchase", "kind", "event", "event", "purchase"),
                        Map.of("id", "big", "name", "Big purchase", "kind", "event", "event", "purchase",
                                "conditions", List.of(Map.of("variable", "Cart value", "operator", "greater_than", "value", "100")))),
                "tags", List.of(Map.of("id", "thanks", "name", "Thanks", "kind", "html", "firing", List.of("bought"),
                                "html", "<p id=\"thanks\">Thanks {{Cart value}} {{Coupon}}</p><script>window.tagSaw = {{Cart value}};</script>"),
                        Map.of("id", "bigtag", "name", "Big spender", "kind", "event", "event", "big_purchase", "firing", List.of("big"),
                                "properties", Map.of("value", "{{Cart value}}")))));
        driver.get(shopUrl("/"));
        waitForScript();
        js("orbita('identify', {email: 'dora@shop.example'})");
        // pushed as a site built for Google Tag Manager pushes it, the markup in it staying text
        js("window.dataLayer = window.dataLayer || []; dataLayer.push({event: 'purchase', ecommerce: {value: 42, coupon: '<img src=x onerror=\"window.pwned=1\">'}})");
        ApiTestSupport.waitFor(() -> text("thanks") != null);
        assertThat(text("thanks")).isEqualTo("Thanks 42 <img src=x onerror=\"window.pwned=1\">");
        assertThat(js("return window.tagSaw")).as("inside a script a variable is a string literal").isEqualTo("42");
        assertThat(js("return document.querySelectorAll('img').length")).isEqualTo(0L);
        assertThat(js("return window.pwned === undefined")).isEqualTo(true);

        js("dataLayer.push({event: 'purchase', ecommerce: {value: 250}})");
        ApiTestSupport.waitFor(() -> paths("dora@shop.example", "big_purchase").size() == 1);
        JsonNode h = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + profileId("dora@shop.example") + "/history?type=big_purchase", null).json();
        assertThat(h.at("/events/0/properties/value").asText()).as("the tag's event carries the pushed value").isEqualTo("250");
        assertThat(js("return document.querySelectorAll('#thanks').length")).as("the html tag fired on both purchases").isEqualTo(2L);
    }

    @Test
    void aPublishedContainerRolledBackServesTheEarlierVersionAgain() throws Exception {
        String id = publishedContainer(pageTag("<b id=\"banner\">first</b>", List.of()));
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true)); // each load a visitor after the script's cache
        driver.get(shopUrl("/"));
        ApiTestSupport.waitFor(() -> "first".equals(text("banner")));

        assertThat(json(port, "PUT", "/api/v1/tag-containers/" + id, Map.of("draft", pageTag("<b id=\"banner\">second</b>", List.of()))).status())
                .isEqualTo(200);
        assertThat(json(port, "POST", "/api/v1/tag-containers/" + id + "/versions", Map.of("publish", true)).status()).isEqualTo(201);
        driver.get(shopUrl("/"));
        ApiTestSupport.waitFor(() -> "second".equals(text("banner")));
        // an SPA page change fires the page trigger again: the tag runs again on the new page
        driver.findElement(By.id("products")).click();
        ApiTestSupport.waitFor(() -> Long.valueOf(2).equals(js("return document.querySelectorAll('#banner').length")));

        Reply back = json(port, "POST", "/api/v1/tag-containers/" + id + "/publish", Map.of("version", 1));
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        driver.get(shopUrl("/"));
        ApiTestSupport.waitFor(() -> "first".equals(text("banner")));
        assertThat(js("return orbita.tags['" + id + "'].version")).isEqualTo(1L);
    }

    @Test
    void aTagWaitingForMarketingConsentFiresAtOnceWhenConsentModeGrantsIt() throws Exception {
        assertThat(json(port, "PUT", "/api/v1/sites/" + site, Map.of("consent", "opt-in")).status()).isEqualTo(200);
        publishedContainer(pageTag("<script>window.adTag = (window.adTag || 0) + 1;</script>", List.of("marketing")));
        driver.get(shopUrl("/"));
        waitForScript();
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!(orbita.tags && Object.keys(orbita.tags).length)")));
        Thread.sleep(1_500);
        assertThat(js("return window.adTag === undefined")).as("no marketing consent yet").isEqualTo(true);
        assertThat(js("return orbita.tags[Object.keys(orbita.tags)[0]].fired().join('|')")).asString().contains("waiting for consent");
        assertThat(json(port, "GET", "/api/v1/sites/" + site + "/live", null).json().size()).as("nothing sent").isZero();

        // Google's Consent Mode v2, as a consent banner built for it calls it: no reload
        js("window.gtag = function () { dataLayer.push(arguments); }; gtag('consent', 'update', {ad_storage: 'granted', ad_user_data: 'granted',"
                + " ad_personalization: 'granted', analytics_storage: 'granted'})");
        ApiTestSupport.waitFor(() -> Long.valueOf(1).equals(js("return window.adTag")));
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/sites/" + site + "/live", null).json().size() == 1);
        Thread.sleep(500);
        assertThat(js("return window.adTag")).as("fired once").isEqualTo(1L);
    }

    @Test
    void aPreviewLinkRunsTheDraftInItsTabOnly() throws Exception {
        String id = publishedContainer(pageTag("<b id=\"banner\">live</b>", List.of()));
        assertThat(json(port, "PUT", "/api/v1/tag-containers/" + id, Map.of("draft", pageTag("<b id=\"banner\">draft</b>", List.of()))).status())
                .isEqualTo(200);
        String token = json(port, "POST", "/api/v1/tag-containers/" + id + "/preview", null).json().get("token").asText();
        driver.get(shopUrl("/?orbita_preview=" + token));
        ApiTestSupport.waitFor(() -> "draft".equals(text("banner")));
        assertThat(js("return location.search")).as("the token leaves the address bar").isEqualTo("");
        ApiTestSupport.waitFor(() -> text("orbita-preview") != null && text("orbita-preview").contains("Banner: fired"));
        Files.write(shots.resolve("tag-manager-preview.png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.get(shopUrl("/products"));
        ApiTestSupport.waitFor(() -> "draft".equals(text("banner")));

        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        driver.get(shopUrl("/"));
        ApiTestSupport.waitFor(() -> "live".equals(text("banner")));
        assertThat(text("orbita-preview")).isNull();
    }

    @Test
    void aSurveyEmbeddedInAPageAndByLinkTurnsAValidAnswerIntoAProfileAndShowsMarkupAsText() throws Exception {
        Map<String, Object> survey = new java.util.HashMap<>(FormsApiTest.survey(db, 1));
        // with a proof of work: the page's script finds the nonce, the server checks it (two SHA-256s that must agree)
        survey.put("spam", Map.of("minSeconds", 1, "perMinute", 20, "work", 12));
        Reply f = json(port, "POST", "/api/v1/forms", survey);
        assertThat(f.status()).as(f.body()).isEqualTo(201);
        String form = f.json().get("id").asText();
        loader = json(port, "GET", "/api/v1/forms/" + form + "/embed", null).json().get("code").asText();
        driver.get(shopUrl("/?utm_source=newsletter"));
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("var h = document.querySelector('[data-orbita-form]');"
                + " return !!(h && h.shadowRoot && h.shadowRoot.querySelector('input[name=email]'))")));
        // step 1: a required question left empty is named before anything is sent
        js("document.querySelector('[data-orbita-form]').shadowRoot.querySelector('button.go').click()");
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!document.querySelector('[data-orbita-form]').shadowRoot.querySelector('.e')")));
        String root = "document.querySelector('[data-orbita-form]').shadowRoot";
        js("var r = " + root + "; var e = r.querySelector('input[name=email]'); e.value = 'Eve@Shop.example'; e.dispatchEvent(new Event('input'));"
                + " var n = r.querySelector('input[name=name]'); n.value = '<img src=x onerror=\"window.pwned=1\">'; n.dispatchEvent(new Event('input'));"
                + " r.querySelector('button.go').click()");
        // step 2: a detractor's score shows the question asked only of detractors
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!" + root + ".querySelector('button[name=score][value=\"4\"]')")));
        js(root + ".querySelector('button[name=score][value=\"4\"]').click()");
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!" + root + ".querySelector('textarea[name=why]')")));
        js("var r = " + root + "; var t = r.querySelector('textarea[name=why]'); t.value = 'Too slow'; t.dispatchEvent(new Event('input'));"
                + " r.querySelector('input[name=consent-news]').click()");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        Files.write(shots.resolve("form-embedded-390.png"), driver.getScreenshotAs(OutputType.BYTES));
        Thread.sleep(1_000); // the form's minimum fill time
        js(root + ".querySelector('button.go').click()");
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("var ok = " + root + ".querySelector('.ok'); return !!ok && ok.textContent === 'Thanks!'")));
        ApiTestSupport.waitFor(() -> profileId("eve@shop.example") != null);
        JsonNode eve = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + profileId("eve@shop.example"), null).json();
        assertThat(eve.toString()).contains("newsletter");
        JsonNode answer = json(port, "GET", "/api/v1/forms/" + form + "/answers", null).json().get(0);
        assertThat(answer.at("/answers/score").asInt()).isEqualTo(4);
        assertThat(answer.at("/answers/why").asText()).isEqualTo("Too slow");
        assertThat(answer.at("/answers/source").asText()).as("a hidden field from the page's address").isEqualTo("newsletter");
        assertThat(js("return window.pwned === undefined")).isEqualTo(true);

        // by link: the hosted page, in Russian, draws the name Eve typed nowhere — and the markup a visitor types stays text
        driver.get("http://localhost:" + publicPort + "/t/f/" + form + "?lang=ru");
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("var h = document.querySelector('[data-orbita-form]');"
                + " return !!(h && h.shadowRoot && h.shadowRoot.querySelector('h2'))")));
        assertThat(js("return " + root + ".querySelector('h2').textContent")).isEqualTo("Расскажите");
        assertThat(js("return " + root + ".querySelector('label[for=q-name]').textContent")).isEqualTo("Имя");
        Files.write(shots.resolve("form-hosted-ru-390.png"), driver.getScreenshotAs(OutputType.BYTES));
        JsonNode results = json(port, "GET", "/api/v1/forms/" + form + "/results", null).json();
        assertThat(results.get("views").asInt()).isEqualTo(2);
        assertThat(results.get("starts").asInt()).isEqualTo(1);
        assertThat(results.get("submissions").asInt()).isEqualTo(1);
    }

    private String popup(Map<String, Object> body) {
        Map<String, Object> b = new java.util.HashMap<>(body);
        b.put("site", site);
        Reply p = json(port, "POST", "/api/v1/popups", b);
        assertThat(p.status()).as(p.body()).isEqualTo(201);
        return p.json().get("id").asText();
    }

    private boolean popupShown(String id) {
        return Boolean.TRUE.equals(js("return !!document.querySelector('[data-orbita-popup=\"" + id + "\"]')"));
    }

    private String popupRoot(String id) {
        return "document.querySelector('[data-orbita-popup=\"" + id + "\"]').shadowRoot";
    }

    private JsonNode popupTotals() {
        Reply r = json(port, "GET", "/api/v1/reports/popups?database=" + db + "&groupBy=popup", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("totals");
    }

    @Test
    void aModalAfterSecondsOncePerVisitAndABarOnExitIntentEachSandboxed() throws Exception {
        assertThat(json(port, "PUT", "/api/v1/sites/" + site + "/popup-budget", Map.of("perSession", 0, "gapSeconds", 0)).status()).isEqualTo(200);
        String modal = popup(Map.of("name", "Sale", "template", "discount-code", "published", true, "trigger", Map.of("on", "delay", "seconds", 1),
                "frequency", Map.of("mode", "session"),
                "variants", List.of(Map.of("html", "<h2 id=\"t\">Ten off</h2><a class=\"btn\" href=\"#\" data-orbita-convert=\"shop\">Shop</a>",
                        "script", "try { parent.document.title = 'pwned'; } catch (e) { document.getElementById('t').textContent = 'sandboxed'; }"
                                + " try { parent.pwnedByPopup = 1; } catch (e) {}"))));
        String bar = popup(Map.of("name", "Leaving", "template", "app-download", "published", true, "trigger", Map.of("on", "exit"),
                "frequency", Map.of("mode", "always")));
        driver.get(shopUrl("/"));
        waitForScript();
        assertThat(popupShown(modal)).as("not before its second").isFalse();
        ApiTestSupport.waitFor(() -> popupShown(modal));
        String frame = popupRoot(modal) + ".querySelector('iframe')";
        assertThat(js("return " + frame + ".getAttribute('sandbox')")).asString().contains("allow-scripts").doesNotContain("allow-same-origin");
        driver.switchTo().frame((org.openqa.selenium.WebElement) js("return " + frame));
        ApiTestSupport.waitFor(() -> "sandboxed".equals(js("return document.getElementById('t').textContent")));
        driver.switchTo().defaultContent();
        assertThat(driver.getTitle()).isEqualTo("Home");
        assertThat(js("return window.pwnedByPopup === undefined")).isEqualTo(true);
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        Thread.sleep(300);
        Files.write(shots.resolve("popup-modal-390.png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 900));
        js(popupRoot(modal) + ".querySelector('button.x').click()");
        ApiTestSupport.waitFor(() -> !popupShown(modal));

        // exit intent: the pointer leaves through the top of the window
        js("document.dispatchEvent(new MouseEvent('mouseout', {clientY: -2, bubbles: true}))");
        ApiTestSupport.waitFor(() -> popupShown(bar));
        Files.write(shots.resolve("popup-bar.png"), driver.getScreenshotAs(OutputType.BYTES));
        js("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))");
        ApiTestSupport.waitFor(() -> !popupShown(bar));

        // the same visit: the modal (once per visit) stays away; the bar (always) comes back on the next page's exit
        driver.get(shopUrl("/products"));
        waitForScript();
        Thread.sleep(2_000);
        assertThat(popupShown(modal)).as("once a visit").isFalse();
        js("document.dispatchEvent(new MouseEvent('mouseout', {clientY: -2, bubbles: true}))");
        ApiTestSupport.waitFor(() -> popupShown(bar));
        driver.switchTo().frame((org.openqa.selenium.WebElement) js("return " + popupRoot(bar) + ".querySelector('iframe')"));
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!document.querySelector('[data-orbita-convert]')")));
        js("document.querySelector('[data-orbita-convert]').click()");
        driver.switchTo().defaultContent();
        ApiTestSupport.waitFor(() -> !popupShown(bar));
        ApiTestSupport.waitFor(() -> popupTotals().get("popup_views").asInt() == 3 && popupTotals().get("popup_conversions").asInt() == 1
                && popupTotals().get("popup_closes").asInt() == 2);
    }

    @Test
    void aSlideInOnScrollAFullScreenFromTheSecondPageAndTheSiteBudgetHoldsTheRestBack() throws Exception {
        assertThat(json(port, "PUT", "/api/v1/sites/" + site + "/popup-budget", Map.of("perSession", 2, "gapSeconds", 0)).status()).isEqualTo(200);
        String slide = popup(Map.of("template", "cart-reminder", "published", true, "trigger", Map.of("on", "scroll", "percent", 50),
                "frequency", Map.of("mode", "always")));
        String full = popup(Map.of("template", "welcome", "published", true, "trigger", Map.of("on", "load", "pages", 2,
                "urls", List.of(Map.of("match", "contains", "value", "/products"))), "frequency", Map.of("mode", "always")));
        String third = popup(Map.of("template", "announcement", "published", true, "trigger", Map.of("on", "delay", "seconds", 3,
                "urls", List.of(Map.of("match", "contains", "value", "/products"))), "frequency", Map.of("mode", "always")));
        driver.get(shopUrl("/long"));
        waitForScript();
        Thread.sleep(1_000);
        assertThat(popupShown(slide)).as("not before the scroll").isFalse();
        js("window.scrollTo(0, document.documentElement.scrollHeight)");
        ApiTestSupport.waitFor(() -> popupShown(slide));
        assertThat(js("return getComputedStyle(" + popupRoot(slide) + ".querySelector('.box')).right")).isEqualTo("16px");
        js(popupRoot(slide) + ".querySelector('button.x').click()");
        assertThat(popupShown(full)).as("the first page of the visit").isFalse();
        // a single-page app's navigation is the second page, on /products
        // (back at the top: the slide-in, shown on every page where its scroll is reached, waits for the next scroll)
        js("window.scrollTo(0, 0); document.getElementById('products').click()");
        ApiTestSupport.waitFor(() -> popupShown(full));
        Object size = js("var r = " + popupRoot(full) + ".querySelector('.box').getBoundingClientRect();"
                + " return [r.width >= document.documentElement.clientWidth && r.height >= innerHeight - 1, r.width, r.height,"
                + " document.documentElement.clientWidth, innerHeight].join(' ')");
        assertThat(size).as("the whole window").asString().startsWith("true");
        Files.write(shots.resolve("popup-full-screen.png"), driver.getScreenshotAs(OutputType.BYTES));
        js(popupRoot(full) + ".querySelector('button.x').click()");
        Thread.sleep(4_000);
        assertThat(popupShown(third)).as("two a visit: the site's budget is spent").isFalse();
        // a page's own button shows one whatever the rules
        js("orbita('popup', 'show', '" + third + "')");
        ApiTestSupport.waitFor(() -> popupShown(third));
    }

    @Test
    void aPopupWithAFormConvertsAndItsAnswerBecomesAProfile() throws Exception {
        Reply f = json(port, "POST", "/api/v1/forms", Map.of("name", "News", "database", db, "matchBy", "email", "published", true,
                "spam", Map.of("minSeconds", 0, "perMinute", 20),
                "fields", List.of(Map.of("name", "email", "type", "email", "label", Map.of("en", "Email"), "profileField", "email", "required", true))));
        assertThat(f.status()).as(f.body()).isEqualTo(201);
        String form = f.json().get("id").asText();
        String news = popup(Map.of("template", "newsletter", "published", true, "trigger", Map.of("on", "load"),
                "variants", List.of(Map.of("template", "newsletter", "html", "<h2>Get our news</h2>{{form}}", "form", form))));
        driver.get(shopUrl("/"));
        waitForScript();
        ApiTestSupport.waitFor(() -> popupShown(news));
        driver.switchTo().frame((org.openqa.selenium.WebElement) js("return " + popupRoot(news) + ".querySelector('iframe')"));
        String root = "document.querySelector('[data-orbita-form]').shadowRoot";
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("var h = document.querySelector('[data-orbita-form]');"
                + " return !!(h && h.shadowRoot && h.shadowRoot.querySelector('input[name=email]'))")));
        js("var r = " + root + "; var e = r.querySelector('input[name=email]'); e.value = 'pop@shop.example'; e.dispatchEvent(new Event('input'));"
                + " r.querySelector('button.go').click()");
        ApiTestSupport.waitFor(() -> Boolean.TRUE.equals(js("return !!" + root + ".querySelector('.ok')")));
        driver.switchTo().defaultContent();
        assertThat(popupShown(news)).as("a form stays to say thank you").isTrue();
        ApiTestSupport.waitFor(() -> profileId("pop@shop.example") != null);
        ApiTestSupport.waitFor(() -> popupTotals().get("popup_conversions").asInt() == 1);
    }

    @Test
    void aSegmentTargetedPopupIsShownOnlyToItsMembersAndAPreviewLinkShowsADraftAnywhere() throws Exception {
        Reply list = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db, "name", "VIP", "kind", "static"));
        String vip = list.json().at("/segment/id").asText();
        String offer = popup(Map.of("template", "discount-code", "published", true, "trigger", Map.of("on", "load", "segment", vip),
                "frequency", Map.of("mode", "always")));
        driver.get(shopUrl("/"));
        waitForScript();
        js("orbita('identify', {email: 'vip@shop.example'})");
        ApiTestSupport.waitFor(() -> profileId("vip@shop.example") != null);
        Thread.sleep(1_500);
        assertThat(popupShown(offer)).as("not a member yet").isFalse();
        assertThat(json(port, "POST", "/api/v1/segments/" + vip + "/members", Map.of("matching", "email", "values", List.of("vip@shop.example")))
                .status()).isEqualTo(200);
        driver.get(shopUrl("/"));
        waitForScript();
        ApiTestSupport.waitFor(() -> popupShown(offer));

        // another person on this browser is no member
        js("orbita('reset'); sessionStorage.clear(); localStorage.clear()");
        driver.get(shopUrl("/"));
        waitForScript();
        js("orbita('identify', {email: 'plain@shop.example'})");
        driver.get(shopUrl("/"));
        waitForScript();
        Thread.sleep(1_500);
        assertThat(popupShown(offer)).isFalse();

        // a draft is seen by the preview link on any page of the site, in that tab, and counted nowhere
        String draft = popup(Map.of("name", "Draft", "template", "webinar"));
        int views = popupTotals().get("popup_views").asInt();
        String link = json(port, "GET", "/api/v1/popups/" + draft + "/preview?url=" + shopUrl("/products?x=1"), null).json().get("link").asText();
        driver.get(link);
        waitForScript();
        ApiTestSupport.waitFor(() -> popupShown(draft));
        assertThat(driver.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("orbita_popup");
        Thread.sleep(1_500);
        assertThat(popupTotals().get("popup_views").asInt()).isEqualTo(views);
    }

    @Test
    void aTagOffersAPopupOnThePagesItFiresOn() throws Exception {
        String manual = popup(Map.of("template", "survey-invite", "published", true, "trigger", Map.of("on", "manual"),
                "frequency", Map.of("mode", "once")));
        publishedContainer(Map.of("triggers", List.of(Map.of("id", "products", "name", "Products", "kind", "page", "conditions",
                        List.of(Map.of("variable", "Page Path", "operator", "equals", "value", "/products")))),
                "tags", List.of(Map.of("id", "survey", "name", "Survey pop-up", "kind", "popup", "account", manual, "firing", List.of("products")))));
        driver.get(shopUrl("/"));
        waitForScript();
        Thread.sleep(1_500);
        assertThat(popupShown(manual)).as("a manual pop-up waits for its tag").isFalse();
        js("document.getElementById('products').click()");
        ApiTestSupport.waitFor(() -> popupShown(manual));
        js(popupRoot(manual) + ".querySelector('button.x').click()");
        driver.get(shopUrl("/products"));
        waitForScript();
        Thread.sleep(1_500);
        assertThat(popupShown(manual)).as("once: the tag offers it, its frequency says no").isFalse();
    }

    @Test
    void theSnippetIsSmallAndCheapOnThePagesMainThread() throws Exception {
        byte[] script = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/orbita.js"), "GET", Map.of(), null)
                .body().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(script);
        }
        assertThat(gz.size()).as("gzipped bytes").isLessThanOrEqualTo(10 * 1024);
        double with = scriptSeconds(shopUrl("/"));
        double without = scriptSeconds(shopUrl("/plain"));
        System.out.printf("snippet: %d bytes, %d gzipped; main-thread script time %.2f ms with it, %.2f ms without (Chromium's ScriptDuration)%n",
                script.length, gz.size(), with * 1000, without * 1000);
        // with a published tag container (tags.js and its content) on top
        String container = publishedContainer(pageTag("<b id=\"banner\">hello</b>", List.of()));
        byte[] tags = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/c/" + container + "/1.js"), "GET", Map.of(), null)
                .body().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream tagsGz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(tagsGz)) {
            out.write(tags);
        }
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of()); // the snippet kept from before names no container
        double withTags = scriptSeconds(shopUrl("/"));
        assertThat(text("banner")).isEqualTo("hello");
        System.out.printf("tag container: %d bytes, %d gzipped; main-thread script time %.2f ms with the snippet and it%n",
                tags.length, tagsGz.size(), withTags * 1000);
        // with a published pop-up shown at once on top (popups.js with the pop-up's page, and the pop-up's frame)
        popup(Map.of("template", "newsletter", "published", true, "trigger", Map.of("on", "load"), "frequency", Map.of("mode", "always")));
        byte[] popups = ApiTestSupport.send(URI.create("http://localhost:" + publicPort + "/t/s/" + site + "/popups.js"), "GET", Map.of(), null)
                .body().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream popupsGz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(popupsGz)) {
            out.write(popups);
        }
        assertThat(popupsGz.size()).as("the pop-up runtime with one pop-up, gzipped").isLessThanOrEqualTo(10 * 1024);
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        double withPopup = scriptSeconds(shopUrl("/"));
        Object init = js("var m = performance.getEntriesByName('orbita-popups'); return m.length ? m[0].duration : -1");
        assertThat(js("return !!document.querySelector('[data-orbita-popup]')")).isEqualTo(true);
        System.out.printf("pop-ups: %d bytes, %d gzipped; main-thread script time %.2f ms with the snippet, the container and a pop-up shown;"
                + " the runtime's own start %.2f ms%n", popups.length, popupsGz.size(), withPopup * 1000, ((Number) init).doubleValue());
    }

    /** The page's script time as Chromium counts it, once the page and the snippet have loaded. */
    private double scriptSeconds(String url) throws InterruptedException {
        driver.executeCdpCommand("Performance.enable", Map.of());
        driver.get(url);
        Thread.sleep(2_000); // no polling from here: the driver's own scripts would count

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) driver.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        driver.executeCdpCommand("Performance.disable", Map.of());
        return metrics.stream().filter(m -> m.get("name").equals("ScriptDuration")).mapToDouble(m -> ((Number) m.get("value")).doubleValue())
                .findFirst().orElseThrow();
    }
}
