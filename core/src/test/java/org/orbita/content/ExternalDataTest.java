package org.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.outbound.NetworkGuard;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;
import org.orbita.testing.LocalPostgres;

/** Outside data for templates: a real HTTP server on loopback and the local PostgreSQL. */
class ExternalDataTest {

    static final String PG = LocalPostgres.URL;
    static final String PG_USER = LocalPostgres.USER;

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteSettings store;
    HttpServer server;
    AtomicInteger calls = new AtomicInteger();
    final Templates templates = new Templates();
    String base;

    @BeforeEach
    void start() throws Exception {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteSettings(sqlite);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/recs", x -> {
            calls.incrementAndGet();
            String city = x.getRequestURI().getQuery().replace("city=", "");
            byte[] body = ("{\"city\": \"" + city + "\", \"items\": [{\"title\": \"Tea\", \"price\": 3.5}, {\"title\": \"Cake\", \"price\": 7}],"
                    + " \"auth\": \"" + x.getRequestHeaders().getFirst("Authorization") + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/broken", x -> {
            byte[] body = "<html>oops".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/slow", x -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
            x.close();
        });
        server.createContext("/down", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        sqlite.close();
    }

    ExternalData data(NetworkGuard guard) {
        return new ExternalData(store, templates, guard, Clock.systemUTC());
    }

    DataSource http(String url, Integer timeoutMs, Integer cacheSeconds, Object fallback) {
        return new DataSource(null, null, "http", url, Map.of("Authorization", "Bearer {{ data.token }}"), null, null, null, timeoutMs, cacheSeconds, fallback, null);
    }

    String render(ExternalData external, String template, Map<String, Object> data, List<String> warnings) {
        Templates.Rendered r = templates.render(template, data, Map.of(), new Templates.Extras(external.fetcher("ws"), null, null));
        warnings.addAll(r.warnings());
        return r.output();
    }

    @Test
    void httpJsonIsFetchedWithTheRendersDataAndCached() {
        ExternalData external = data(new NetworkGuard(false, List.of("127.0.0.1")));
        external.save("ws", "recs", http(base + "/recs?city={{ profile.city | url_encode }}", 1000, 60, null));
        Map<String, Object> kazan = Map.of("profile", Map.of("city", "Kazan"), "data", Map.of("token", "s3cret"));
        String template = "{% fetch 'recs' as r %}{{ r.city }}:{% for i in r.items %} {{ i.title }} {{ i.price }}{% endfor %} ({{ r.auth }})";
        List<String> warnings = new ArrayList<>();
        assertThat(render(external, template, kazan, warnings)).isEqualTo("Kazan: Tea 3.5 Cake 7 (Bearer s3cret)");
        assertThat(render(external, template, kazan, warnings)).startsWith("Kazan:");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(render(external, template, Map.of("profile", Map.of("city", "Omsk")), warnings)).startsWith("Omsk:");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(warnings).isEmpty();
        // a test call goes past the cache and leaves it as it was
        assertThat(external.test("ws", "recs", kazan, warnings::add)).isInstanceOf(Map.class);
        assertThat(calls.get()).isEqualTo(3);
        render(external, template, kazan, warnings);
        assertThat(calls.get()).isEqualTo(3);
        // secrets are never shown
        assertThat(external.get("ws", "recs").withoutSecrets().headers()).containsEntry("Authorization", DataSource.HIDDEN);
        external.save("ws", "recs", http(base + "/recs?city=x", 1000, 60, null).withoutSecrets());
        assertThat(external.get("ws", "recs").headers()).containsEntry("Authorization", "Bearer {{ data.token }}");
    }

    @Test
    void loopbackAndPrivateNetworksAreRefusedUnlessAllowed() throws Exception {
        ExternalData external = data(new NetworkGuard(false, List.of()));
        external.save("ws", "recs", http(base + "/recs?city=x", 1000, 0, null));
        assertThatThrownBy(() -> render(external, "{% fetch 'recs' as r %}", Map.of(), new ArrayList<>()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("may not be called").hasMessageContaining("127.0.0.1");
        assertThat(calls.get()).isZero();
        for (String address : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "::ffff:127.0.0.1")) {
            assertThat(NetworkGuard.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        }
        assertThat(NetworkGuard.isPrivate(InetAddress.getByName("93.184.215.14"))).isFalse();
        assertThatThrownBy(() -> new NetworkGuard(false, List.of()).check("localhost")).isInstanceOf(SecurityException.class);
    }

    @Test
    void failuresUseTheFallbackOrGiveAClearError() {
        ExternalData external = data(NetworkGuard.open());
        external.save("ws", "slow", http(base + "/slow", 300, 0, Map.of("items", List.of())));
        external.save("ws", "broken", http(base + "/broken", 1000, 0, null));
        external.save("ws", "down", http(base + "/down", 1000, 0, "n/a"));
        List<String> warnings = new ArrayList<>();
        long start = System.nanoTime();
        assertThat(render(external, "{% fetch 'slow' as r %}[{{ r.items | size }}]", Map.of(), warnings)).isEqualTo("[0]");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'slow' did not answer within 300 ms").contains("fallback"));
        assertThat(render(external, "{% fetch 'down' as r %}{{ r }}", Map.of(), warnings)).isEqualTo("n/a");
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("answered HTTP 503"));
        assertThatThrownBy(() -> render(external, "{% fetch 'broken' as r %}", Map.of(), warnings))
                .hasMessageContaining("'broken' answered something that is not JSON");
        assertThatThrownBy(() -> render(external, "{% fetch 'nothing' as r %}", Map.of(), warnings)).hasMessageContaining("no data source named 'nothing'");
        assertThatThrownBy(() -> render(external, "{% fetch recs %}", Map.of(), warnings)).hasMessageContaining("{% fetch 'source-name' as variable %}");
        assertThatThrownBy(() -> templates.render("{% fetch 'x' as y %}", Map.of(), Map.of())).hasMessageContaining("no data sources are available");
    }

    @Test
    void badSourcesAreRefusedNamingTheField() {
        ExternalData external = data(NetworkGuard.open());
        InvalidInputException e = (InvalidInputException) Assertions.catchThrowable(() -> external.save("ws", "Bad Name",
                new DataSource(null, null, "http", "file:///etc/passwd", Map.of("Bad Header", "x"), null, null, null, 60_000, -1, null, null)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("name", "url", "headers", "timeoutMs", "cacheSeconds");
        InvalidInputException sql = (InvalidInputException) Assertions.catchThrowable(() -> external.save("ws", "q",
                new DataSource(null, null, "sql", "jdbc:sqlite:/tmp/x", null, null, null, "DELETE FROM t", null, null, null, null)));
        assertThat(sql.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("url", "query");
        assertThat(external.list("ws")).isEmpty();
    }

    @Test
    void sqlRowsAreReadWithProfileValuesBoundAsParameters() throws SQLException {
        String table = "orbita_recs_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(PG, PG_USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (email text, title text, price numeric(8,2))");
            s.execute("INSERT INTO " + table + " VALUES ('ann@x.io', 'Tea', 3.50), ('ann@x.io', 'Cake', 7), ('bob@x.io', 'Pie', 2)");
        }
        try {
            ExternalData external = data(new NetworkGuard(false, List.of("127.0.0.1")));
            external.save("ws", "orders", new DataSource(null, null, "sql", PG, null, PG_USER, null,
                    "SELECT title, price, 'it''s :not_a_param' AS note FROM " + table + " WHERE email = :profile.email ORDER BY price::numeric", 2000, 0, null, null));
            List<String> warnings = new ArrayList<>();
            assertThat(render(external, "{% fetch 'orders' as rows %}{% for r in rows %}{{ r.title }}={{ r.price }};{% endfor %}{{ rows[0].note }}",
                    Map.of("profile", Map.of("email", "ann@x.io")), warnings)).isEqualTo("Tea=3.5;Cake=7.0;it's :not_a_param");
            assertThat(render(external, "{% fetch 'orders' as rows %}{{ rows | size }}", Map.of("profile", Map.of("email", "x' OR '1'='1")), warnings))
                    .isEqualTo("0");
            // a private database needs allowing like any other host
            ExternalData guarded = data(new NetworkGuard(false, List.of()));
            assertThatThrownBy(() -> render(guarded, "{% fetch 'orders' as rows %}", Map.of(), warnings)).hasMessageContaining("may not be called");
        } finally {
            try (Connection c = DriverManager.getConnection(PG, PG_USER, null); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
    }
}
