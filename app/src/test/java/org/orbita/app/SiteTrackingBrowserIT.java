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
            String html = path.equals("/plain") ? page("") : page(loader);
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        shop.start();
        db = "shop" + (++counter);
        Reply created = json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Shop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
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
