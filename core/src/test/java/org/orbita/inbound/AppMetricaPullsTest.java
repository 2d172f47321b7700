package org.orbita.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.HistoryQuery;
import org.orbita.inbound.AppMetricaPulls.Input;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.WriteMode;
import org.orbita.testing.EmbeddedCore;
import org.orbita.testing.MovableClock;

/**
 * AppMetrica's Logs API on loopback, answering as AppMetrica does: 202 while an export is
 * prepared (the same period asked again), then {@code {"data": [...]}}; rows filtered by name
 * with wildcards, made into events on the profile the app named, parameters read from
 * {@code event_json}; the watermark moving only past a period read whole; a period read twice
 * storing nothing twice; the service's refusal kept as the run's error.
 */
class AppMetricaPullsTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    AppMetricaPulls pulls;
    HttpServer server;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
    final List<Map<String, String>> asked = new CopyOnWriteArrayList<>();
    final Queue<Object[]> answers = new ArrayDeque<>();
    String url;
    String ann;

    static final String ROWS = """
            {"data": [
              {"event_name": "purchase_done", "event_json": "{\\"order\\": {\\"total\\": 1990, \\"items\\": [\\"tent\\"]}}",
               "event_datetime": "2026-12-01 10:15:00", "appmetrica_device_id": "1111", "profile_id": "u-1", "os_name": "android",
               "app_version_name": "3.2"},
              {"event_name": "screen_view", "event_json": "{}", "event_datetime": "2026-12-01 10:16:00", "appmetrica_device_id": "1111",
               "profile_id": "u-1", "os_name": "android", "app_version_name": "3.2"},
              {"event_name": "purchase_done", "event_json": "not json", "event_datetime": "2026-12-01 10:17:00", "appmetrica_device_id": "2222",
               "profile_id": "u-unknown", "os_name": "ios", "app_version_name": "3.2"}
            ]}""";

    @BeforeEach
    void open() throws IOException {
        core = new EmbeddedCore(dir, clock);
        core.databases.create("ws", "app", "App users", new DatabaseSchema(List.of(FieldDefinition.of("app_user", FieldType.STRING).asUnique())));
        ann = core.writing.write(core.databases.get("app"), new ProfileChange("app_user", "u-1", Map.of("app_user", "u-1"), List.of(), null, null),
                WriteMode.UPSERT, ProfileSource.API).profile().id();
        pulls = new AppMetricaPulls(core.settings, core.databases, new EventIngest(core.profiles, core.events, clock), NetworkGuard.open(),
                Access.SYSTEM, clock);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/logs/v1/export/", x -> {
            Map<String, String> q = new LinkedHashMap<>();
            for (String pair : x.getRequestURI().getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            q.put("path", x.getRequestURI().getPath());
            q.put("auth", x.getRequestHeaders().getFirst("Authorization"));
            asked.add(q);
            Object[] a;
            synchronized (answers) {
                a = answers.poll();
            }
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders((int) a[0], body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void close() {
        server.stop(0);
        core.close();
    }

    private List<Event> history(String type) {
        return core.events.history(new HistoryQuery("app", ann, Set.of(type), null, null, null, null, null, 50));
    }

    @Test
    void anExportIsWaitedForReadFilteredAndStoredOnce() {
        pulls.create("ws", new Input("mobile", "Mobile app", "123456", "tok-secret", url, "app", "app_user", "profile_id",
                List.of("purchase*"), false, Map.of("total", "order.total", "first_item", "order.items[0]"), 60));
        answers.add(new Object[] {202, ""});
        AppMetricaPulls.Run preparing = pulls.pullNow("ws", "mobile");
        assertThat(preparing.state()).isEqualTo("preparing");
        assertThat(pulls.get("ws", "mobile").watermark()).isNull();
        Map<String, String> q = asked.get(0);
        assertThat(q).containsEntry("path", "/logs/v1/export/events.json").containsEntry("application_id", "123456")
                .containsEntry("auth", "OAuth tok-secret").containsEntry("date_since", "2026-11-30 12:00:00").containsEntry("date_until", "2026-12-01 11:59:00");
        assertThat(q.get("fields")).contains("event_name").contains("event_json").contains("profile_id");

        clock.advance(Duration.ofSeconds(120));
        answers.add(new Object[] {200, ROWS});
        AppMetricaPulls.Run done = pulls.pullNow("ws", "mobile");
        assertThat(asked.get(1).get("date_until")).as("the same period, asked again").isEqualTo("2026-12-01 11:59:00");
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.rows()).isEqualTo(3);
        assertThat(done.stored()).isEqualTo(1);
        assertThat(done.skipped()).as("a name not wanted, a profile not found").isEqualTo(2);
        assertThat(pulls.get("ws", "mobile").watermark()).isEqualTo(Instant.parse("2026-12-01T11:59:00Z"));
        assertThat(history("app.purchase_done")).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(Instant.parse("2026-12-01T10:15:00Z"));
            assertThat(e.properties()).containsEntry("total", 1990L).containsEntry("first_item", "tent").containsEntry("os_name", "android")
                    .containsEntry("source", "appmetrica");
        });

        clock.advance(Duration.ofSeconds(3600));
        answers.add(new Object[] {200, ROWS}); // the service sends rows already pulled (a late export): nothing twice
        AppMetricaPulls.Run again = pulls.pullNow("ws", "mobile");
        assertThat(asked.get(2).get("date_since")).isEqualTo("2026-12-01 11:59:00");
        assertThat(again.stored()).isZero();
        assertThat(history("app.purchase_done")).hasSize(1);

        clock.advance(Duration.ofSeconds(3600));
        answers.add(new Object[] {403, "{\"errors\":[{\"error_type\":\"access_denied\",\"message\":\"Access denied\"}],\"code\":403}"});
        AppMetricaPulls.Run refused = pulls.pullNow("ws", "mobile");
        assertThat(refused.state()).isEqualTo("failed");
        assertThat(refused.error()).contains("HTTP 403").contains("Access denied");
        assertThat(pulls.get("ws", "mobile").watermark()).as("not moved past a period not read").isEqualTo(again.until());
        assertThat(pulls.get("ws", "mobile").lastRun().error()).contains("Access denied");
        assertThat(org.orbita.common.Json.write(pulls.list("ws"))).doesNotContain("tok-secret");
    }

    @Test
    void installationsArePulledBesideEventsAsAppInstalled() {
        pulls.create("ws", new Input("installs", "Installs", "123456", "tok", url, "app", "app_user", "profile_id", List.of("*"), true, Map.of(), 60));
        answers.add(new Object[] {200, "{\"data\": []}"});
        answers.add(new Object[] {200, """
                {"data": [
                  {"install_datetime": "2026-12-01 09:00:00", "appmetrica_device_id": "1111", "profile_id": "u-1", "tracker_name": "Autumn promo",
                   "os_name": "android", "app_version_name": "3.2"},
                  {"install_datetime": "2026-12-01 09:05:00", "appmetrica_device_id": "3333", "profile_id": "", "tracker_name": "Organic",
                   "os_name": "ios", "app_version_name": "3.2"}
                ]}"""});
        AppMetricaPulls.Run run = pulls.pullNow("ws", "installs");
        assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo("done");
        assertThat(asked).extracting(q -> q.get("path")).containsExactly("/logs/v1/export/events.json", "/logs/v1/export/installations.json");
        assertThat(asked.get(1).get("fields")).contains("install_datetime").contains("tracker_name");
        assertThat(run.stored()).isEqualTo(1);
        assertThat(run.skipped()).as("an installation of nobody known").isEqualTo(1);
        assertThat(history("app.installed")).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
            assertThat(e.properties()).containsEntry("tracker_name", "Autumn promo").containsEntry("source", "appmetrica");
        });
    }

    @Test
    void namesMatchWithWildcardsAndBadSettingsAreNamed() {
        assertThat(AppMetricaPulls.wanted(List.of("purchase*"), "purchase_done")).isTrue();
        assertThat(AppMetricaPulls.wanted(List.of("*_done"), "purchase_done")).isTrue();
        assertThat(AppMetricaPulls.wanted(List.of("purchase"), "purchase_done")).isFalse();
        assertThat(AppMetricaPulls.wanted(List.of("a.b*"), "axb")).as("only * is special").isFalse();
        assertThatThrownBy(() -> pulls.create("ws", new Input("m", "", "abc", "", "ftp://x", "nowhere", "x", "email", List.of("two words"), null,
                Map.of("p", "a..b"), 1))).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                .contains("name", "applicationId", "token", "apiUrl", "database", "matchingColumn", "eventNames", "properties.p", "everyMinutes"));
    }
}
