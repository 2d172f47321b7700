package org.orbita.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.ConflictException;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.HistoryQuery;
import org.orbita.outbound.NetworkGuard;
import org.orbita.promo.PromoPools.PoolInput;
import org.orbita.promo.PromoPools.SourceInput;
import org.orbita.promo.PromoStore.Claim;
import org.orbita.promo.PromoStore.Code;
import org.orbita.promo.PromoStore.State;
import org.orbita.promo.store.SqlitePromoStore;
import org.orbita.tabular.CsvSource;
import org.orbita.testing.EmbeddedCore;
import org.orbita.testing.MovableClock;

class PromoPoolsTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    PromoPools promo;
    HttpServer server;
    final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T10:00:00Z"));

    @BeforeEach
    void open() {
        core = new EmbeddedCore(dir, clock);
        promo = new PromoPools(core.settings, new SqlitePromoStore(core.sqlite), core.events,
                new HttpCodeService(new NetworkGuard(true, List.of()), Duration.ofSeconds(2)), Access.SYSTEM, clock);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.stop(0);
        }
        core.close();
    }

    private static PoolInput pool(String id, String pattern) {
        return new PoolInput(id, "Summer sale", null, null, pattern, pattern == null ? null : true, null, null, null, null, null, null);
    }

    @Test
    void aPatternMakesDistinctCheckedCodesAndGoesOnWhereItStopped() {
        promo.create("ws", pool("summer", "SALE-####-XXXX"));
        assertThat(promo.generate("ws", "summer", 3000)).containsEntry("added", 3000L).containsEntry("made", 3000L);
        assertThat(promo.generate("ws", "summer", 2000)).containsEntry("added", 2000L).containsEntry("made", 5000L);
        List<Code> all = new ArrayList<>();
        long after = 0;
        for (List<Code> page; !(page = promo.codes("ws", "summer", null, after, 1000)).isEmpty(); after = page.get(page.size() - 1).seq()) {
            all.addAll(page);
        }
        CodePattern pattern = new CodePattern("SALE-####-XXXX", true);
        assertThat(all).hasSize(5000).allSatisfy(c -> assertThat(pattern.matches(c.code())).as(c.code()).isTrue());
        assertThat(new HashSet<>(all.stream().map(Code::code).toList())).hasSize(5000);
        assertThat(promo.get("ws", "summer").counts()).containsEntry("available", 5000L);

        assertThatThrownBy(() -> promo.update("ws", "summer", new PoolInput(null, null, null, null, "CODE-####", null, null, null, null, null,
                null, null))).isInstanceOf(InvalidInputException.class).hasMessageContaining("made by SALE-####-XXXX");
        promo.create("ws", pool("tiny", "T#"));
        assertThatThrownBy(() -> promo.generate("ws", "tiny", 11)).isInstanceOf(InvalidInputException.class).hasMessageContaining("has 10 codes");
    }

    @Test
    void anImportReportsEachRefusedRow() throws IOException {
        promo.create("ws", pool("file", null));
        Path csv = dir.resolve("codes.csv");
        Files.writeString(csv, "code\nAAA-1\nAAA-2\nAAA-1\n\nhas space\nAAA-3\n", StandardCharsets.UTF_8);
        PromoPools.ImportReport r = promo.importCodes("ws", "file", CsvSource.of(csv, ',', StandardCharsets.UTF_8));
        assertThat(r.added()).isEqualTo(3);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.problems()).extracting(PromoPools.RowProblem::row).as("a blank line is no row").containsExactlyInAnyOrder(4L, 6L);
        assertThat(r.problems()).filteredOn(p -> p.row() == 4).first().extracting(PromoPools.RowProblem::problem).asString().contains("duplicate");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(promo.export(promo.allowExport("ws", "file", State.AVAILABLE, "csv"), State.AVAILABLE, "csv", out)).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("code,state").contains("AAA-1,available").contains("AAA-3,available");
    }

    @Test
    void issuingIsIdempotentPerKeyRecordedAsEventsAndRefusedOutsideItsWindowOrWhenEmpty() {
        promo.create("ws", pool("p", "P-####"));
        promo.generate("ws", "p", 2);
        PromoPools.Issued first = promo.issue("ws", "p", List.of(new Claim("run1/a", "db", "a")));
        PromoPools.Issued retry = promo.issue("ws", "p", List.of(new Claim("run1/a", "db", "a"), new Claim("run1/b", "db", "b"),
                new Claim("run1/c", "db", "c")));
        assertThat(retry.codes().get("run1/a").code()).isEqualTo(first.codes().get("run1/a").code());
        assertThat(retry.codes()).containsKey("run1/b").doesNotContainKey("run1/c");
        assertThat(retry.refusal()).isEqualTo("promo code pool p has no codes left");
        List<Event> ofA = core.events.history(HistoryQuery.latest("db", "a", 10));
        assertThat(ofA).extracting(Event::type).as("one promo.issued, not two").containsExactly("promo.issued");
        assertThat(ofA.get(0).properties()).containsEntry("pool", "p").containsEntry("code", first.codes().get("run1/a").code());

        promo.update("ws", "p", new PoolInput(null, null, null, null, null, null, null, Instant.parse("2026-06-01T09:00:00Z"), null, null, null,
                null));
        assertThat(promo.issue("ws", "p", List.of(new Claim("run2/a", "db", "a"))).refusal()).contains("expired at 2026-06-01T09:00:00Z");
        assertThat(promo.issue("ws", "none", List.of(new Claim("k", "db", "a"))).refusal()).isEqualTo("no promo code pool none");
    }

    @Test
    void aCodeIsRedeemedOnceByItsOwnerAndDetachedCodesGoOutAgain() {
        promo.create("ws", pool("r", "R-####"));
        promo.generate("ws", "r", 3);
        Code mine = promo.attach("ws", "r", null, "db", "a");
        assertThatThrownBy(() -> promo.redeem("ws", "r", mine.code(), "db", "b", null)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("another profile");
        Code redeemed = promo.redeem("ws", "r", mine.code(), null, null, "order-1");
        assertThat(redeemed.state()).isEqualTo(State.REDEEMED);
        assertThat(redeemed.order()).isEqualTo("order-1");
        assertThatThrownBy(() -> promo.redeem("ws", "r", mine.code(), null, null, null)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("was redeemed at").hasMessageContaining("order-1");
        assertThat(core.events.history(HistoryQuery.latest("db", "a", 10))).extracting(Event::type).contains("promo.issued", "promo.redeemed");

        Code other = promo.attach("ws", "r", null, "db", "b");
        promo.detach("ws", "r", other.code());
        assertThat(promo.code("ws", "r", other.code()).state()).isEqualTo(State.AVAILABLE);
        assertThat(promo.ofProfile("ws", "db", "b")).isEmpty();
        assertThat(promo.ofProfile("ws", "db", "a")).extracting(Code::code).containsExactly(mine.code());

        Code expired = promo.expire("ws", "r", other.code());
        assertThat(expired.state()).isEqualTo(State.EXPIRED);
        assertThatThrownBy(() -> promo.redeem("ws", "r", other.code(), "db", "c", null)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aUniversalPoolGivesEveryoneItsCode() {
        promo.create("ws", new PoolInput("all", "Everyone", "universal", "WELCOME10", null, null, null, null, null, null, null, null));
        PromoPools.Issued issued = promo.issue("ws", "all", List.of(new Claim("k1", "db", "a"), new Claim("k2", "db", "b")));
        assertThat(issued.codes().values()).extracting(Code::code).containsOnly("WELCOME10");
        assertThat(issued.refusal()).isNull();
        assertThat(promo.redeem("ws", "all", "welcome10", "db", "a", "o-9").state()).isEqualTo(State.REDEEMED);
        assertThatThrownBy(() -> promo.redeem("ws", "all", "OTHER", "db", "a", null)).hasMessageContaining("OTHER");
    }

    @Test
    void aLowPoolAlertsOnceAndAServiceRefillsIt() throws IOException {
        List<String> asked = new ArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] next = {0};
        server.createContext("/codes", x -> {
            asked.add(x.getRequestURI().getQuery() + " " + x.getRequestHeaders().getFirst("Authorization"));
            StringBuilder json = new StringBuilder("{\"codes\": [");
            for (int i = 0; i < 3; i++) {
                json.append(i == 0 ? "" : ",").append("\"S-").append(next[0]++).append('"');
            }
            byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/garbage", x -> {
            byte[] body = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> alerts = new ArrayList<>();
        promo.onLow((pool, available) -> alerts.add(pool.id() + ":" + available));
        promo.create("ws", new PoolInput("svc", "From the shop", null, null, null, null, null, null, 2, "ops@shop.example",
                new SourceInput(base + "/codes", 3, 2, "s3cret"), null));
        assertThat(promo.get("ws", "svc").source().tokenSet()).isTrue();
        assertThat(promo.refillDue()).isEqualTo(1);
        assertThat(asked).containsExactly("pool=svc&count=3 Bearer s3cret");
        assertThat(promo.get("ws", "svc").counts()).containsEntry("available", 3L);

        promo.issue("ws", "svc", List.of(new Claim("a", "db", "a"), new Claim("b", "db", "b")));
        promo.issue("ws", "svc", List.of(new Claim("c", "db", "c")));
        assertThat(alerts).as("told once, when it fell below 2").containsExactly("svc:1");
        assertThat(promo.get("ws", "svc").low()).isTrue();
        assertThat(promo.refillDue()).isEqualTo(1);
        assertThat(promo.get("ws", "svc").low()).as("refilled above the mark").isFalse();
        assertThat(promo.get("ws", "svc").lastRefill().added()).isEqualTo(3);

        promo.update("ws", "svc", new PoolInput(null, null, null, null, null, null, null, null, null, null,
                new SourceInput(base + "/garbage", null, null, null), null));
        assertThat(promo.refill("ws", "svc").error()).isEqualTo("the service answered something that is not JSON");
        assertThat(promo.get("ws", "svc").lastRefill().error()).contains("not JSON");

        PromoPools guarded = new PromoPools(core.settings, promo.store(), core.events,
                new HttpCodeService(new NetworkGuard(false, List.of()), Duration.ofSeconds(2)), Access.SYSTEM, clock);
        assertThat(guarded.refill("ws", "svc").error()).as("loopback refused unless allowed").contains("may not be called");
    }
}
