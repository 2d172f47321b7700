package org.orbita.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.Ids;
import org.orbita.events.Event;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.testing.EmbeddedCore;

/** The reactor on real embedded stores: events reach recent behaviour and memberships, and survive a lost queue. */
class SegmentReactorTest {

    @TempDir
    Path dir;

    @Test
    void keepsSegmentsCurrentAndAddsBackWhatACrashLostFromTheQueue() throws Exception {
        Clock clock = Clock.systemUTC();
        try (EmbeddedCore core = new EmbeddedCore(dir, clock)) {
            ClientDatabases databases = core.databases;
            DuckDbEventLog log = core.stored;
            EventBus events = core.events;
            ClientDatabase db = databases.create("ws", "crm", "CRM",
                    new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique())));
            Segments segments = new Segments(core.settings, databases, core.profiles, core.members, events, core.recent, clock, Access.SYSTEM);
            Profile ann = new Profile(Ids.next(), db.id(), Map.of("email", "ann@example.com"), null, null, null, clock.instant(),
                    clock.instant(), null);
            core.profiles.save(ann, Set.of(new ProfileKey("email", "ann@example.com")), Set.of());
            Segment buyers = segments.create("ws", new SegmentInput(db.id(), "Buyers", Segment.Kind.DYNAMIC,
                    new Condition.Did("purchase", null, List.of(), 2, null, null)));
            assertThat(segments.count(buyers.id())).isZero();

            SegmentReactor reactor = new SegmentReactor(segments, databases, core.recent, core.settings, events, 1000, Duration.ofHours(1), () -> {});
            events.listen("segments", reactor::appended);
            events.append(List.of(purchase(db, ann, clock.instant())));
            await(() -> { reactor.drain(); return true; });
            assertThat(segments.count(buyers.id())).isZero();
            events.append(List.of(purchase(db, ann, clock.instant())));
            await(() -> { reactor.drain(); return segments.count(buyers.id()) == 1; });
            assertThat(segments.count(buyers.id())).isEqualTo(1);
            reactor.close();

            // a "crash": events reach the log but never the reactor's queue
            log.append(List.of(purchase(db, ann, clock.instant()), purchase(db, ann, clock.instant())));
            assertThat(core.recent.recentOfRange(db.id(), ann.id(), ann.id(), null).get(ann.id())).hasSize(2);
            SegmentReactor restarted = new SegmentReactor(segments, databases, core.recent, core.settings, events, 1000, Duration.ofHours(1), () -> {});
            await(() -> core.recent.recentOfRange(db.id(), ann.id(), ann.id(), null).get(ann.id()).size() == 4);
            assertThat(core.recent.recentOfRange(db.id(), ann.id(), ann.id(), null).get(ann.id())).hasSize(4);
            restarted.close();
        }
    }

    @Test
    void aBulkLoadThatOverflowsTheQueueAgainAndAgainLosesNoChange() throws Exception {
        Clock clock = Clock.systemUTC();
        try (EmbeddedCore core = new EmbeddedCore(dir, clock)) {
            Shop shop = shop(core, clock);
            ClientDatabase db = shop.db();
            Segments segments = shop.segments();
            Segment buyers = shop.buyers();
            // room for 10 waiting profiles: every wave of 40 overflows it, and is left to the (held) full recompute
            try (SegmentReactor reactor = new SegmentReactor(segments, core.databases, core.recent, core.settings, core.events, 10,
                    Duration.ofHours(1), () -> {})) {
                core.events.listen("segments", reactor::appended);
                int made = 0;
                for (int wave = 1; wave <= 3; wave++) {
                    List<Event> events = new java.util.ArrayList<>();
                    for (int i = 0; i < 40; i++, made++) {
                        Profile p = new Profile(Ids.next(), db.id(), Map.of("email", made + "@example.com"), null, null, null, clock.instant(),
                                clock.instant(), null);
                        core.profiles.save(p, Set.of(new ProfileKey("email", made + "@example.com")), Set.of());
                        events.add(purchase(db, p, clock.instant()));
                        events.add(purchase(db, p, clock.instant()));
                    }
                    core.events.append(events);
                    int expected = made;
                    await(() -> { reactor.drain(); return segments.count(buyers.id()) == expected; });
                    assertThat(segments.count(buyers.id())).as("after wave %d", wave).isEqualTo(expected);
                }
                assertThat(reactor.failures()).isZero();
            }
        }
    }

    @Test
    void itsMarkersAreDocumentsSoTheProductionSettingsStoreKeepsThem() throws Exception {
        Clock clock = Clock.systemUTC();
        de.bwaldvogel.mongo.MongoServer server = new de.bwaldvogel.mongo.MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
        try (EmbeddedCore core = new EmbeddedCore(dir, clock);
             org.orbita.storage.mongo.MongoConnection mongo = new org.orbita.storage.mongo.MongoConnection(server.bindAndGetConnectionString(),
                     "orbita_test")) {
            org.orbita.settings.SettingsStore settings = new org.orbita.settings.store.MongoSettings(mongo);
            Shop shop = shop(core, clock);
            ClientDatabase db = shop.db();
            Segments segments = shop.segments();
            Profile ann = new Profile(Ids.next(), db.id(), Map.of("email", "ann@example.com"), null, null, null, clock.instant(), clock.instant(), null);
            core.profiles.save(ann, Set.of(new ProfileKey("email", "ann@example.com")), Set.of());
            try (SegmentReactor reactor = new SegmentReactor(segments, core.databases, core.recent, settings, core.events, 1, Duration.ofHours(1),
                    () -> {})) {
                core.events.listen("segments", reactor::appended);
                core.events.append(List.of(purchase(db, ann, clock.instant()), purchase(db, ann, clock.instant())));
                await(() -> reactor.unwritten() == 0 && settings.get("markers", "segments_recent_watermark").isPresent());
                assertThat(reactor.unwritten()).as("the kept events were written").isZero();
                assertThat(settings.get("markers", "segments_recent_watermark")).as("the watermark was kept").isPresent();
            }
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aDatabaseOwedAFullRecomputeWhenStoppedIsRecomputedAtTheNextStart() throws Exception {
        Clock clock = Clock.systemUTC();
        try (EmbeddedCore core = new EmbeddedCore(dir, clock)) {
            Shop shop = shop(core, clock);
            ClientDatabase db = shop.db();
            Segments segments = shop.segments();
            Segment buyers = shop.buyers();
            Profile ann = new Profile(Ids.next(), db.id(), Map.of("email", "ann@example.com"), null, null, null, clock.instant(), clock.instant(), null);
            core.profiles.save(ann, Set.of(new ProfileKey("email", "ann@example.com")), Set.of());
            // her purchases were kept, then the process stopped owing the database its full recompute
            core.recent.addRecent(List.of(purchase(db, ann, clock.instant()), purchase(db, ann, clock.instant())));
            SegmentReactor.mark(core.settings, SegmentReactor.OWED, db.id());
            assertThat(segments.count(buyers.id())).isZero();

            try (SegmentReactor started = new SegmentReactor(segments, core.databases, core.recent, core.settings, core.events, 1000,
                    Duration.ofHours(1), () -> {})) {
                await(() -> segments.count(buyers.id()) == 1);
                assertThat(segments.count(buyers.id())).as("recomputed at the start, not an hour later").isEqualTo(1);
                await(() -> SegmentReactor.marker(core.settings, SegmentReactor.OWED).orElse("x").isEmpty());
                assertThat(SegmentReactor.marker(core.settings, SegmentReactor.OWED)).as("nothing owed any more").contains("");
            }
        }
    }

    /** A database with a unique email, its segments, and the dynamic segment of those who bought twice. */
    private record Shop(ClientDatabase db, Segments segments, Segment buyers) {}

    private static Shop shop(EmbeddedCore core, Clock clock) {
        ClientDatabase db = core.databases.create("ws", "crm", "CRM", new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique())));
        Segments segments = new Segments(core.settings, core.databases, core.profiles, core.members, core.events, core.recent, clock, Access.SYSTEM);
        Segment buyers = segments.create("ws", new SegmentInput(db.id(), "Buyers", Segment.Kind.DYNAMIC,
                new Condition.Did("purchase", null, List.of(), 2, null, null)));
        return new Shop(db, segments, buyers);
    }

    private static Event purchase(ClientDatabase db, Profile p, Instant at) {
        return new Event(Ids.next(), db.id(), p.id(), "purchase", null, at, Map.of("amount", 10L));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
    }
}
