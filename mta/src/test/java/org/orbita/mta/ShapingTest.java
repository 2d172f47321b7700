package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orbita.mta.MtaTest.waitUntil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.config.MtaConfig;
import org.orbita.mta.delivery.Deliveries;
import org.orbita.mta.delivery.Reply;
import org.orbita.mta.delivery.Shaping;
import org.orbita.mta.delivery.SmtpClient;

class ShapingTest {

    @TempDir
    Path dir;

    static final Shaping.Limits BASE = new Shaping.Limits(32, 100, 0, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(3),
            SmtpClient.Tls.OPPORTUNISTIC, null);

    static final String RULES = """
            [default]
            max_connections = 10
            retry_base = "2m"

            [[destination]]
            match = ["gmail.com", "mx:*.google.com"]
            max_connections = 20
            rate = "600/m"

            [[destination]]
            match = "*.yandex.ru"
            tls = "required"
            messages_per_connection = 5

            [[response]]
            match = "(?i)^421 .*(rate|too many)"
            action = "suspend"
            for = "2s"

            [[response]]
            match = "^550 5\\\\.7\\\\.1 .*try again"
            action = "defer"
            """;

    @Test
    void destinationsRefineTheDefaultsByDomainOrMxHost() throws Exception {
        Path file = dir.resolve("shaping.toml");
        Files.writeString(file, RULES);
        Shaping s = Shaping.read(file, BASE);
        assertThat(s.limits("mx:alt1.gmail-smtp-in.l.google.com", List.of("googlemail.com")))
                .extracting(Shaping.Limits::maxConnections, Shaping.Limits::ratePerSecond, Shaping.Limits::retryBase)
                .containsExactly(20, 10.0, Duration.ofMinutes(2));
        assertThat(s.limits("relay:x", List.of("gmail.com")).maxConnections()).isEqualTo(20);
        assertThat(s.limits("mx:mx.yandex.net", List.of("mail.yandex.ru"))).extracting(Shaping.Limits::tls, Shaping.Limits::messagesPerConnection)
                .containsExactly(SmtpClient.Tls.REQUIRED, 5);
        assertThat(s.limits("mx:mx.example", List.of("example.com"))).extracting(Shaping.Limits::maxConnections, Shaping.Limits::ratePerSecond)
                .containsExactly(10, 0.0);
        assertThat(s.response(new Reply(421, "4.7.0", "Too many messages, rate limit exceeded"))).get()
                .extracting(Shaping.ResponseRule::action, Shaping.ResponseRule::duration).containsExactly("suspend", Duration.ofSeconds(2));
        assertThat(s.response(new Reply(550, "5.7.1", "Service unavailable, try again later")).orElseThrow().action()).isEqualTo("defer");
        assertThat(s.response(new Reply(550, "5.1.1", "User unknown"))).isEmpty();
    }

    @Test
    void eachOfSeveralNodesTakesItsShareOfASitesLimits() throws Exception {
        Path file = dir.resolve("shaping.toml");
        Files.writeString(file, RULES);
        Shaping threeNodes = Shaping.read(file, BASE).sharedBy(3);
        assertThat(threeNodes.limits("relay:x", List.of("gmail.com"))).extracting(Shaping.Limits::maxConnections, Shaping.Limits::ratePerSecond)
                .containsExactly(7, 10.0 / 3);
        assertThat(threeNodes.limits("mx:mx.example", List.of("example.com")).maxConnections()).isEqualTo(4);
        assertThatThrownBy(() -> Shaping.read(file, BASE).sharedBy(0)).hasMessageContaining("mta.cluster.nodes");
    }

    @Test
    void badRulesAreRefusedNamingTheEntry() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "[[destination]]\nmatch = \"gmail.com\"\nmax_connections = 0\n");
        assertThatThrownBy(() -> Shaping.read(file, BASE)).hasMessageContaining("destination[0].max_connections");
        Files.writeString(file, "[default]\nrate = \"fast\"\n");
        assertThatThrownBy(() -> Shaping.read(file, BASE)).hasMessageContaining("default.rate").hasMessageContaining("600/m");
        Files.writeString(file, "[[response]]\nmatch = \"(\"\naction = \"suspend\"\n");
        assertThatThrownBy(() -> Shaping.read(file, BASE)).hasMessageContaining("response[0].match");
        Files.writeString(file, "[[response]]\nmatch = \"x\"\naction = \"explode\"\n");
        assertThatThrownBy(() -> Shaping.read(file, BASE)).hasMessageContaining("response[0].action");
        Files.writeString(file, "not = toml = at all");
        assertThatThrownBy(() -> Shaping.read(file, BASE)).hasMessageContaining("not TOML");
    }

    @Test
    void aRateReplySuspendsTheSiteAndRulesReloadWithoutARestart() throws Exception {
        Path file = dir.resolve("shaping.toml");
        String rules = RULES.replace("retry_base = \"2m\"", "retry_base = \"1s\"");
        Files.writeString(file, rules);
        try (ScriptedSink sink = new ScriptedSink(1)) {
            Path config = dir.resolve("mta.properties");
            Files.writeString(config, "mta.route.*=127.0.0.1:" + sink.port() + "\n");
            Map<String, String> env = Map.of("MTA_HOSTNAME", "mta.test", "MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1", "MTA_HTTP_PORT", "0",
                    "MTA_HTTP_BIND", "127.0.0.1", "MTA_SPOOL_DIR", dir.resolve("spool").toString(), "MTA_DELIVERY_RETRY_BASE", "1s",
                    "MTA_SHAPING_FILE", file.toString());
            try (MtaMain node = new MtaMain(new MtaConfig(config, env))) {
                byte[] body = "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8);
                node.inject("news@shop.example", List.of("rate1@a.example"), body).get();
                waitUntil(() -> node.deliveries.queues().stream().anyMatch(q -> q.suspendedUntil() != null));
                node.inject("news@shop.example", List.of("ok1@a.example"), body).get();
                Thread.sleep(500);
                assertThat(sink.tries).doesNotContainKey("ok1@a.example"); // the site waits out its suspension
                waitUntil(() -> sink.delivered.containsAll(List.of("ok1@a.example", "rate1@a.example")));

                Deliveries.QueueInfo before = node.deliveries.queues().get(0);
                assertThat(before.maxConnections()).isEqualTo(10);
                Files.writeString(file, rules.replace("max_connections = 10", "max_connections = 3"));
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
                waitUntil(() -> node.deliveries.queues().get(0).maxConnections() == 3);
                Files.writeString(file, "max_connections = ");
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
                Thread.sleep(1_500);
                assertThat(node.deliveries.queues().get(0).maxConnections()).isEqualTo(3); // a broken file keeps the rules in force
            }
        }
    }
}
