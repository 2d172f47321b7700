package org.orbita.promo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.orbita.promo.PromoStore;
import org.orbita.promo.PromoStore.Claim;
import org.orbita.promo.PromoStore.Code;
import org.orbita.promo.PromoStore.State;

/** What every {@link PromoStore} adapter must do: no duplicate codes, one code per key, never one code twice, states by compare-and-set. */
public abstract class PromoStoreContract {

    protected abstract PromoStore store();

    private static final Instant T = Instant.ofEpochMilli(1_000_000);

    private static Map<String, Code> codes(Map<String, PromoStore.Issue> issued) {
        Map<String, Code> out = new java.util.LinkedHashMap<>();
        issued.forEach((k, v) -> out.put(k, v.code()));
        return out;
    }

    @Test
    void duplicatesAreRefusedByIndexAndCodesGoOutInTheirOrder() {
        PromoStore s = store();
        assertThat(s.add("ws", "p", List.of("A1", "A2", "A1", "A3"))).containsExactly(2);
        assertThat(s.add("ws", "p", List.of("A3", "A4"))).containsExactly(0);
        assertThat(s.add("ws", "other", List.of("A1"))).as("another pool").isEmpty();
        assertThat(s.add("ws2", "p", List.of("A1"))).as("another workspace").isEmpty();
        assertThat(s.counts("ws", "p")).containsExactlyEntriesOf(Map.of(State.AVAILABLE, 4L));

        Map<String, Code> issued = codes(s.issue("ws", "p", List.of(new Claim("k1", "db", "p1"), new Claim("k2", "db", "p2")), T));
        assertThat(issued.get("k1").code()).isEqualTo("A1");
        assertThat(issued.get("k2").code()).isEqualTo("A2");
        assertThat(issued.get("k1").state()).isEqualTo(State.ISSUED);
        assertThat(issued.get("k1").profileId()).isEqualTo("p1");
        assertThat(s.page("ws", "p", null, 0, 10)).extracting(Code::code).containsExactly("A1", "A2", "A3", "A4");
        assertThat(s.page("ws", "p", State.AVAILABLE, 0, 10)).extracting(Code::code).containsExactly("A3", "A4");
        long afterFirst = s.page("ws", "p", null, 0, 1).get(0).seq();
        assertThat(s.page("ws", "p", null, afterFirst, 2)).extracting(Code::code).containsExactly("A2", "A3");
    }

    @Test
    void theSameKeyGetsTheSameCodeAndAnEmptyPoolAnswersNothing() {
        PromoStore s = store();
        s.add("ws", "p", List.of("C1", "C2"));
        PromoStore.Issue firstIssue = s.issue("ws", "p", List.of(new Claim("send-1", "db", "p1")), T).get("send-1");
        assertThat(firstIssue.fresh()).isTrue();
        assertThat(s.issue("ws", "p", List.of(new Claim("send-1", "db", "p1")), T).get("send-1").fresh()).as("issued before").isFalse();
        String first = firstIssue.code().code();
        Map<String, Code> again = codes(s.issue("ws", "p", List.of(new Claim("send-1", "db", "p1"), new Claim("send-2", "db", "p1"),
                new Claim("send-3", "db", "p3"), new Claim("send-2", "db", "p1")), T));
        assertThat(again.get("send-1").code()).as("a retried send").isEqualTo(first);
        assertThat(again.get("send-2").code()).as("another send of the same profile").isNotEqualTo(first);
        assertThat(again).as("the pool ran out for send-3").doesNotContainKey("send-3");
        assertThat(s.counts("ws", "p")).containsExactlyEntriesOf(Map.of(State.ISSUED, 2L));
        assertThat(s.ofProfile("ws", "db", "p1", 10)).extracting(Code::code).containsExactlyInAnyOrder("C1", "C2");
        assertThat(s.ofProfile("ws", "db", "p3", 10)).isEmpty();
    }

    @Test
    void changesAreComparedAndSet() {
        PromoStore s = store();
        s.add("ws", "p", List.of("R1"));
        Code issued = codes(s.issue("ws", "p", List.of(new Claim("k", "db", "p1")), T)).get("k");
        Code redeemed = issued.with(State.REDEEMED, "db", "p1", "k", T, T.plusSeconds(5), "order-7");
        assertThat(s.change(issued, redeemed)).get().satisfies(c -> {
            assertThat(c.state()).isEqualTo(State.REDEEMED);
            assertThat(c.redeemedAt()).isEqualTo(T.plusSeconds(5));
            assertThat(c.order()).isEqualTo("order-7");
        });
        assertThat(s.change(issued, redeemed)).as("redeemed already: the before no longer holds").isEmpty();
        assertThat(s.find("ws", "p", "R1")).get().extracting(Code::state).isEqualTo(State.REDEEMED);
        assertThat(s.find("ws", "p", "nope")).isEmpty();

        s.add("ws", "p", List.of("D1"));
        Code d = codes(s.issue("ws", "p", List.of(new Claim("kd", "db", "p2")), T)).get("kd");
        Code back = d.with(State.AVAILABLE, null, null, null, null, null, null);
        assertThat(s.change(d, back)).get().extracting(Code::profileId).isNull();
        assertThat(codes(s.issue("ws", "p", List.of(new Claim("kd2", "db", "p3")), T)).get("kd2").code()).as("a detached code goes out again").isEqualTo("D1");
        assertThat(s.issue("ws", "p", List.of(new Claim("kd", "db", "p2")), T)).as("its old key is free again, the pool empty").isEmpty();
    }

    @Test
    void concurrentIssuesNeverHandOutOneCodeTwice() throws Exception {
        PromoStore s = store();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add("X" + i);
        }
        s.add("ws", "p", all);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Map<String, Code>>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                tasks.add(() -> {
                    List<Claim> claims = new ArrayList<>();
                    for (int i = 0; i < 120; i++) {
                        // threads 0 and 1 ask under the same keys: retries racing each other
                        claims.add(new Claim("key-" + (thread < 2 ? 0 : thread) + "-" + i, "db", "p" + i));
                    }
                    Map<String, Code> got = new java.util.HashMap<>();
                    for (int i = 0; i < claims.size(); i += 10) {
                        got.putAll(codes(s.issue("ws", "p", claims.subList(i, i + 10), T)));
                    }
                    return got;
                });
            }
            List<Map<String, Code>> results = new ArrayList<>();
            for (Future<Map<String, Code>> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            assertThat(results.get(0).keySet()).hasSize(120);
            for (String key : results.get(0).keySet()) {
                assertThat(results.get(1).get(key).code()).as("one code per key").isEqualTo(results.get(0).get(key).code());
            }
            Set<String> handedOut = new HashSet<>();
            for (int t = 1; t < 4; t++) {
                for (Code c : results.get(t).values()) {
                    assertThat(handedOut.add(c.code())).as("code %s handed out twice", c.code()).isTrue();
                }
            }
            assertThat(handedOut).hasSize(360);
            assertThat(s.counts("ws", "p")).containsExactlyInAnyOrderEntriesOf(Map.of(State.ISSUED, 360L, State.AVAILABLE, 40L));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeletedPoolForgetsItsCodesAndKeys() {
        PromoStore s = store();
        s.add("ws", "p", List.of("Z1"));
        s.issue("ws", "p", List.of(new Claim("k", "db", "p1")), T);
        s.deletePool("ws", "p");
        assertThat(s.counts("ws", "p")).isEmpty();
        assertThat(s.add("ws", "p", List.of("Z1"))).isEmpty();
        assertThat(codes(s.issue("ws", "p", List.of(new Claim("k", "db", "p1")), T)).get("k").code()).isEqualTo("Z1");
    }
}
