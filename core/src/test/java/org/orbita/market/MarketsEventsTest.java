package org.orbita.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.UnavailableException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.market.store.SqlMarketStore;
import org.orbita.profiles.ClientDatabase;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.testing.EmbeddedCore;

/** Orders stored and their events in the log: a batch whose events could not be logged is not left without them. */
class MarketsEventsTest {

    @TempDir
    Path dir;

    /** The real event log, refusing appends while {@code down} (a ClickHouse away, a full disk). */
    private static EventLog failing(EventLog log, AtomicBoolean down) {
        return (EventLog) Proxy.newProxyInstance(EventLog.class.getClassLoader(), new Class<?>[] {EventLog.class}, (proxy, m, args) -> {
            if (m.getName().equals("append") && down.get()) {
                throw new IllegalStateException("the event log is away");
            }
            try {
                return m.invoke(log, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static Markets.OrderInput order(String id, String profileId, String status, Instant at) {
        return new Markets.OrderInput(id, "web", null, new Markets.Customer(profileId, null, null), status, null, "RUB", new BigDecimal("300"),
                Instant.parse("2026-11-01T10:00:00Z"), at, List.of(
                        new Markets.LineInput("p1", null, "Runner", "shoes", BigDecimal.ONE, new BigDecimal("100"), new BigDecimal("100")),
                        new Markets.LineInput("p2", null, "Sock", "socks", BigDecimal.TWO, new BigDecimal("100"), new BigDecimal("200"))));
    }

    private static List<String> types(EventLog log, String databaseId) {
        List<String> out = new ArrayList<>();
        log.scan(databaseId, null, Set.of("order.created", "order.item", "order.status_changed"), e -> out.add(e.type() + " " + e.properties().get("order")));
        out.sort(null);
        return out;
    }

    @Test
    void aBatchStoredWhileTheLogWasAwayHasItsEventsLoggedWhenItIsSentAgain() {
        try (EmbeddedCore core = new EmbeddedCore(dir)) {
            ClientDatabase db = core.databases.create("ws", "clients", "Clients", null);
            String p = core.writing.write(db, org.orbita.profiles.ProfileChange.ofFields("email", java.util.Map.of("email", "ann@shop.example")),
                    org.orbita.profiles.WriteMode.UPSERT, org.orbita.profiles.ProfileSource.API).profile().id();
            AtomicBoolean down = new AtomicBoolean(true);
            Markets markets = new Markets(new SqlMarketStore(new SqliteDatabase(core.sqlite)), core.settings, core.databases, core.profiles,
                    core.writing, failing(core.events, down), Access.SYSTEM, Clock.systemUTC());
            markets.saveTouchpoint("ws", new Market.Touchpoint("web", "Web", db.id()));
            Instant t = Instant.parse("2026-11-01T10:00:00Z");

            assertThatThrownBy(() -> markets.importOrders("ws", List.of(order("o1", p, "new", t))))
                    .isInstanceOf(UnavailableException.class).hasMessageContaining("Sending the batch again is safe")
                    .hasRootCauseMessage("the event log is away");
            assertThat(types(core.events, db.id())).as("nothing logged while the log is away").isEmpty();

            down.set(false);
            Markets.Report again = markets.importOrders("ws", List.of(order("o1", p, "new", t)));
            assertThat(again.unchanged()).as("the order was stored the first time").isEqualTo(1);
            assertThat(types(core.events, db.id())).as("its events logged once the log is back")
                    .containsExactly("order.created o1", "order.item o1", "order.item o1");

            // a status change stored while the log is away, then another batch: the change's event comes with it, once
            down.set(true);
            assertThatThrownBy(() -> markets.importOrders("ws", List.of(order("o1", p, "delivered", t.plusSeconds(60)))))
                    .isInstanceOf(UnavailableException.class);
            down.set(false);
            markets.importOrders("ws", List.of(order("o2", p, "new", t)));
            markets.importOrders("ws", List.of(order("o2", p, "new", t)));
            assertThat(types(core.events, db.id())).containsExactly("order.created o1", "order.created o2", "order.item o1", "order.item o1",
                    "order.item o2", "order.item o2", "order.status_changed o1");

            // the log took the events but the answer was lost (a timeout): logged again, the log's copy is kept, not doubled;
            // with no batch coming after, the minutely task does it
            AtomicBoolean lostAnswer = new AtomicBoolean(true);
            EventLog answerLost = (EventLog) Proxy.newProxyInstance(EventLog.class.getClassLoader(), new Class<?>[] {EventLog.class}, (proxy, m, args) -> {
                Object r;
                try {
                    r = m.invoke(core.events, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (m.getName().equals("append") && lostAnswer.getAndSet(false)) {
                    throw new IllegalStateException("read timed out");
                }
                return r;
            });
            Markets other = new Markets(new SqlMarketStore(new SqliteDatabase(core.sqlite)), core.settings, core.databases, core.profiles,
                    core.writing, answerLost, Access.SYSTEM, Clock.systemUTC());
            assertThatThrownBy(() -> other.importOrders("ws", List.of(order("o3", p, "new", t)))).isInstanceOf(UnavailableException.class);
            Markets elsewhere = new Markets(new SqlMarketStore(new SqliteDatabase(core.sqlite)), core.settings, core.databases, core.profiles,
                    core.writing, core.events, Access.SYSTEM, Clock.systemUTC());
            assertThat(elsewhere.logUnlogged(null)).as("another process leaves a young batch to the one logging it").isZero();
            assertThat(other.logUnlogged(null)).as("the process that failed logs it at once").isEqualTo(1);
            assertThat(other.logUnlogged(null)).as("and no more").isZero();
            assertThat(types(core.events, db.id())).filteredOn(s -> s.endsWith("o3")).containsExactly("order.created o3", "order.item o3", "order.item o3");

            // a crash between storing and logging (kill -9): after a minute, whoever looks logs it
            down.set(true);
            assertThatThrownBy(() -> markets.importOrders("ws", List.of(order("o4", p, "new", t)))).isInstanceOf(UnavailableException.class);
            down.set(false);
            Markets restarted = new Markets(new SqlMarketStore(new SqliteDatabase(core.sqlite)), core.settings, core.databases, core.profiles,
                    core.writing, core.events, Access.SYSTEM, Clock.offset(Clock.systemUTC(), java.time.Duration.ofSeconds(61)));
            assertThat(restarted.logUnlogged(null)).isEqualTo(1);
            assertThat(types(core.events, db.id())).filteredOn(s -> s.endsWith("o4")).containsExactly("order.created o4", "order.item o4", "order.item o4");
        }
    }
}
