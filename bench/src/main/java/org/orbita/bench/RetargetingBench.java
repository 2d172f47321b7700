package org.orbita.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.orbita.common.Ids;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;
import org.orbita.retargeting.AudienceDestination;
import org.orbita.retargeting.AudienceSyncs;
import org.orbita.retargeting.store.SqlSyncedMembers;
import org.orbita.access.Access;
import org.orbita.storage.sql.SqliteDatabase;

/**
 * A segment of N profiles (email and phone, consent by an email subscription) synced to Meta's
 * Custom Audiences API played on loopback (the JDK's HTTP server reading each call's form and
 * payload and answering as Meta does), on the embedded stores: the first sync (every member
 * hashed and added, 10,000 rows a call), a second one with nothing changed, and a third after 1 %
 * of the profiles changed their email. The reference, run first: the same members read and
 * hashed without a platform or the synced-members store — the floor of any sync.
 */
public final class RetargetingBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("orbita-retargetingbench");
        Clock clock = Clock.systemUTC();
        AtomicLong rows = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        HttpServer meta = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        meta.createContext("/", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String payload = "";
            for (String pair : form.split("&")) {
                if (pair.startsWith("payload=")) {
                    payload = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
                }
            }
            int count = org.orbita.common.Json.read(payload, com.fasterxml.jackson.databind.JsonNode.class).path("data").size();
            rows.addAndGet(count);
            calls.incrementAndGet();
            byte[] answer = ("{\"audience_id\":\"23850000\",\"session_id\":\"" + calls.get() + "\",\"num_received\":" + count
                    + ",\"num_invalid_entries\":0,\"invalid_entry_samples\":{}}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        meta.start();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = databases.create("bench", "clients", "Clients", new DatabaseSchema(List.of(
                    FieldDefinition.of("email", FieldType.EMAIL).asUnique(), FieldDefinition.of("phone", FieldType.PHONE))));
            long t0 = System.nanoTime();
            seed(store, db, n);
            System.out.printf("seeded %,d profiles in one segment in %.1f s%n", n, secs(t0));

            // the floor: every member read and hashed as the Meta connector hashes them, nothing stored or sent
            t0 = System.nanoTime();
            long hashed = 0;
            String after = null;
            for (List<String> page = store.members().members("seg-all", null, 1000); !page.isEmpty();
                 page = store.members().members("seg-all", after, 1000)) {
                for (String id : page) {
                    Profile p = store.profiles().find(db.id(), id).orElseThrow();
                    if (AudienceDestination.hashed(id, p.field("email"), p.field("phone"), false) != null) {
                        hashed++;
                    }
                }
                after = page.get(page.size() - 1);
            }
            double floor = secs(t0);
            System.out.printf("reference: %,d members read and hashed once in %.1f s%n", hashed, floor);

            AudienceSyncs.SegmentSource source = new AudienceSyncs.SegmentSource() {
                @Override
                public Optional<String> databaseOf(String segmentId) {
                    return segmentId.equals("seg-all") ? Optional.of(db.id()) : Optional.empty();
                }

                @Override
                public List<String> members(String segmentId, String afterId, int limit) {
                    return store.members().members(segmentId, afterId, limit);
                }
            };
            AudienceSyncs syncs = new AudienceSyncs(store.settings(), new SqlSyncedMembers(new SqliteDatabase(store.sqlite())), databases,
                    store.profiles(), source, AudienceSyncs.platforms(new NetworkGuard(false, List.of("127.0.0.1"))), Access.SYSTEM, clock);
            syncs.create("bench", new AudienceSyncs.Input("meta", "Everyone", "clients", "seg-all", "meta", Map.of("audienceId", "23850000",
                    "accessToken", "EAAB-bench", "apiUrl", "http://127.0.0.1:" + meta.getAddress().getPort()), null, null, null, null, null));

            t0 = System.nanoTime();
            AudienceSyncs.Run first = syncs.run("bench", "meta");
            double firstSecs = secs(t0);
            System.out.printf("first sync: %s, %,d in the audience, %,d added in %,d calls (%,d rows at the peer) in %.1f s — %.2f× the reference%n",
                    first.state(), first.size(), first.added(), calls.get(), rows.get(), firstSecs, firstSecs / floor);
            if (first.error() != null) {
                throw new IllegalStateException(first.error());
            }

            long callsBefore = calls.get();
            t0 = System.nanoTime();
            AudienceSyncs.Run second = syncs.run("bench", "meta");
            System.out.printf("second sync, nothing changed: %,d added, %,d removed, %,d calls in %.1f s%n", second.added(), second.removed(),
                    calls.get() - callsBefore, secs(t0));

            List<Profile> changed = new ArrayList<>();
            int step = 100;
            for (List<String> page = store.members().members("seg-all", null, 1000); !page.isEmpty(); ) {
                for (int i = 0; i < page.size(); i += step) {
                    Profile p = store.profiles().find(db.id(), page.get(i)).orElseThrow();
                    Map<String, Object> fields = new java.util.HashMap<>(p.fields());
                    fields.put("email", "moved-" + p.field("email"));
                    changed.add(new Profile(p.id(), p.databaseId(), fields, p.subscriptions(), p.relations(), p.status(), p.created(), Instant.now(),
                            p.mergedIds()));
                }
                String last = page.get(page.size() - 1);
                page = store.members().members("seg-all", last, 1000);
            }
            store.saveByEmail(changed);
            callsBefore = calls.get();
            t0 = System.nanoTime();
            AudienceSyncs.Run third = syncs.run("bench", "meta");
            System.out.printf("third sync, %,d emails changed: %,d added, %,d removed, %,d calls in %.1f s%n", changed.size(), third.added(),
                    third.removed(), calls.get() - callsBefore, secs(t0));
            System.out.printf("heap used at the end: %,d MB%n", CampaignBench.usedHeap() >> 20);
        } finally {
            meta.stop(0);
        }
    }

    private static void seed(EmbeddedStores store, ClientDatabase db, int n) {
        for (int start = 0; start < n; start += 5000) {
            List<Profile> batch = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = start; i < Math.min(n, start + 5000); i++) {
                String email = "Client." + i + "@Example.com ";
                Map<String, Object> fields = Map.of("email", email.strip().toLowerCase(java.util.Locale.ROOT), "phone",
                        String.format("+7916%07d", i % 10_000_000));
                Profile p = new Profile(Ids.next(), db.id(), fields, List.of(new Subscription(org.orbita.profiles.Channel.EMAIL,
                        (String) fields.get("email"), null, null, now)), List.of(), null, now, now, List.of());
                batch.add(p);
            }
            store.saveInSegment(db.id(), batch, "seg-all");
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
