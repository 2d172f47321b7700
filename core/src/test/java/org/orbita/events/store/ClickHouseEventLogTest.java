package org.orbita.events.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.net.URI;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.events.EventLog;

/**
 * The ClickHouse adapter against a real server (.ci/run starts Debian's clickhouse-server).
 * Set ORBITA_TEST_CLICKHOUSE=required to fail rather than skip when no server answers.
 */
class ClickHouseEventLogTest extends EventLogContract {

    static final String URL = System.getenv().getOrDefault("ORBITA_TEST_CLICKHOUSE_URL", "http://127.0.0.1:8123");
    ClickHouseEventLog log;

    @BeforeEach
    void open() {
        boolean required = "required".equals(System.getenv("ORBITA_TEST_CLICKHOUSE"));
        if (!required) {
            assumeTrue(reachable(), "no ClickHouse at " + URL + " (bin/start-clickhouse.sh starts one)");
        }
        log = new ClickHouseEventLog(URL, "default", "", "orbita_test");
    }

    private static boolean reachable() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(URL + "/ping")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Override
    protected EventLog log() {
        return log;
    }

    /**
     * The rollups are filled by the server from each insert into the events (materialized views),
     * in the insert's own statement — whoever writes the events, and with no second write a client
     * could fail before.
     */
    @org.junit.jupiter.api.Test
    void theServerRollsUpWhatIsInsertedIntoTheEvents() throws Exception {
        String row = "('e-direct', '" + db + "', 'p1', 'message.opened', 'email', " + T0.toEpochMilli()
                + ", '{\\\"campaign\\\":\\\"c1\\\"}', 1)";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(URL + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("INSERT INTO orbita_test.events VALUES " + row)).build(),
                HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var a = new org.orbita.events.EventAggregate(java.util.Set.of(db), T0.minusSeconds(1800), T0.plusSeconds(1800),
                java.util.Set.of("message.opened"), java.util.Set.of("message.opened"), null, java.util.Map.of(), java.util.Set.of("machine"),
                java.util.Set.of("observer_of"), java.util.List.of(new org.orbita.events.EventAggregate.Property("campaign")), null, 0);
        org.assertj.core.api.Assertions.assertThat(org.orbita.events.EventRollup.serves(a)).isTrue();
        org.assertj.core.api.Assertions.assertThat(log.aggregate(a, true)).hasToString(log.aggregate(a, false).toString())
                .asString().contains("c1");
    }

    @Override
    protected void reopenWithoutCounted() throws Exception {
        log.close();
        for (String sql : List.of("DROP TABLE orbita_test.event_firsts_feed", "DROP TABLE orbita_test.event_firsts",
                "ALTER TABLE orbita_test.events DROP COLUMN counted")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(URL + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        log = new ClickHouseEventLog(URL, "default", "", "orbita_test");
    }
}
