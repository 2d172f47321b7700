package org.orbita.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.Ids;
import org.orbita.events.store.DuckDbEventLog;

/** The event bus over a real DuckDB log: every append stored first, then heard; failures counted; loops stopped. */
class EventBusTest {

    @TempDir
    Path dir;
    EventBus bus;

    @BeforeEach
    void open() {
        bus = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")));
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private static Event event(String profile, String type) {
        return new Event(Ids.next(), "db", profile, type, null, Instant.now(), Map.of());
    }

    @Test
    void listenersHearEveryAppendOnceItIsStored() {
        List<Long> storedWhenHeard = new ArrayList<>();
        bus.listen("counting", events -> storedWhenHeard.add(bus.count("db")));
        bus.append(List.of(event("p1", "purchase"), event("p2", "purchase")));
        bus.append(List.of(event("p1", "open")));
        assertThat(storedWhenHeard).containsExactly(2L, 3L);
        assertThat(bus.stats()).singleElement().satisfies(s -> assertThat(s.delivered()).isEqualTo(2));
    }

    @Test
    void aFailingListenerIsCountedAndNeitherFailsTheAppendNorKeepsOthersFromHearing() {
        List<String> heard = new CopyOnWriteArrayList<>();
        bus.listen("broken", events -> {
            throw new IllegalStateException("listener bug");
        });
        bus.listen("fine", events -> events.forEach(e -> heard.add(e.type())));
        bus.append(List.of(event("p1", "purchase")));
        assertThat(bus.count("db")).isEqualTo(1);
        assertThat(heard).containsExactly("purchase");
        assertThat(bus.stats()).filteredOn(s -> s.name().equals("broken")).singleElement()
                .satisfies(s -> assertThat(s.failed()).isEqualTo(1));
    }

    @Test
    void anAsynchronousListenerGetsOnlyWhatItWantsAndEachProfilesEventsInOrder() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        bus.listenAsync("journeys", 4, 1000, 50, e -> !e.type().equals("noise"), events -> events.forEach(e -> heard.add(e.profileId() + ":" + e.type())));
        for (int i = 0; i < 200; i++) {
            bus.append(List.of(event("p" + (i % 7), "step" + i), event("p" + (i % 7), "noise")));
        }
        assertThat(bus.settle(10_000)).isTrue();
        assertThat(heard).hasSize(200).noneMatch(h -> h.endsWith("noise"));
        for (int p = 0; p < 7; p++) {
            String prefix = "p" + p + ":";
            List<Integer> steps = heard.stream().filter(h -> h.startsWith(prefix)).map(h -> Integer.parseInt(h.substring(h.indexOf("step") + 4))).toList();
            assertThat(steps).isSorted();
        }
    }

    @Test
    void aReactionThatKeepsReactingIsStoppedAtTheDepthLimit() {
        AtomicInteger reactions = new AtomicInteger();
        // each event makes another of the same kind: a loop a careless rule could make
        bus.listen("echo", events -> {
            reactions.incrementAndGet();
            bus.append(List.of(event(events.get(0).profileId(), "echo")));
        });
        bus.append(List.of(event("p1", "echo")));
        assertThat(reactions.get()).isEqualTo(EventBus.MAX_DEPTH);
        assertThat(bus.count("db")).as("every event is stored").isEqualTo(EventBus.MAX_DEPTH + 1);
        assertThat(bus.loopsStopped()).isEqualTo(1);
    }

    @Test
    void anAsynchronousListenerThatAppendsWhatItHearsDoesNotWaitForItselfAndIsStoppedToo() throws Exception {
        AtomicInteger reactions = new AtomicInteger();
        bus.listenAsync("echo", 1, 2, 10, e -> true, events -> {
            reactions.incrementAndGet();
            bus.append(List.of(event("p1", "echo"), event("p1", "echo")));
        });
        bus.append(List.of(event("p1", "echo")));
        assertThat(bus.settle(10_000)).isTrue();
        assertThat(bus.loopsStopped()).isPositive();
        assertThat(reactions.get()).isLessThan(1000);
    }
}
