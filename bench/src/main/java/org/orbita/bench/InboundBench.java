package org.orbita.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.orbita.access.Access;
import org.orbita.common.Signer;
import org.orbita.events.EventBus;
import org.orbita.events.store.DuckDbEventLog;
import org.orbita.inbound.InboundHooks;
import org.orbita.inbound.SnsMessages;
import org.orbita.inbound.store.SqlInboundLog;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;
import org.orbita.storage.sql.SqliteDatabase;

/**
 * The generic inbound webhook's own rate on the embedded stores (in-process, T threads): N JSON
 * deliveries of new people, each kept in the inbound log, mapped by JSON paths onto a profile
 * upsert with an email subscription and a {@code lead.received} event — beside the reference run
 * first on a fresh store: the same upserts and events through {@code ProfileWriting} and
 * {@code EventIngest} directly, without the webhook (its log, signature check, parsing and mapping).
 */
public final class InboundBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        boolean webhookFirst = Boolean.getBoolean("webhookFirst");
        double webhook = webhookFirst ? run(n, threads, true) : 0;
        double reference = run(n, threads, false);
        webhook = webhookFirst ? webhook : run(n, threads, true);
        System.out.printf("inbound webhook: %,.0f deliveries/s, %.2f× the reference's %,.0f upserts/s (%d threads)%n", webhook, webhook / reference,
                reference, threads);
    }

    private static double run(int n, int threads, boolean throughWebhook) throws Exception {
        Path dir = Files.createTempDirectory("orbita-inboundbench");
        Clock clock = Clock.systemUTC();
        try (EmbeddedStores store = EmbeddedStores.open(dir.resolve("orbita.db"));
             EventBus events = new EventBus(new DuckDbEventLog(dir.resolve("events.duckdb")))) {
            ClientDatabases databases = new ClientDatabases(store.settings(), store.profiles(), clock, Access.SYSTEM);
            ClientDatabase db = databases.create("bench", "crm", "CRM", new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                    FieldDefinition.of("name", FieldType.STRING), FieldDefinition.of("city", FieldType.STRING))));
            ProfileWriting writing = new ProfileWriting(store.profiles(), events, clock, Access.SYSTEM);
            EventIngest ingest = new EventIngest(store.profiles(), events, clock);
            InboundHooks hooks = new InboundHooks(store.settings(), new SqlInboundLog(new SqliteDatabase(store.sqlite())), databases, writing, ingest,
                    new Signer("bench-secret-of-32-bytes-at-least!".getBytes()), new SnsMessages(SnsMessages.AWS_HOSTS, java.net.http.HttpClient.newHttpClient(), new NetworkGuard(false, List.of()), clock),
                    Access.SYSTEM, clock);
            InboundHooks.View source = hooks.create("bench", new InboundHooks.Input("crm", "CRM leads", "crm", "email", "lead.email",
                    Map.of("name", "lead.name", "city", "lead.city"), Map.of("email", "lead.email"), "lead.received", Map.of("amount", "lead.amount"),
                    "lead.id", null));
            String key = source.path().substring(source.path().lastIndexOf('/') + 1);
            long t0 = System.nanoTime();
            Striped.run(threads, 0, n, i -> {
                String email = "lead" + i + "@bench.example";
                if (throughWebhook) {
                    String body = "{\"lead\":{\"id\":\"L" + i + "\",\"email\":\"" + email + "\",\"name\":\"Lead " + i + "\",\"city\":\"Kazan\","
                            + "\"amount\":" + (i % 500) + "}}";
                    InboundHooks.Outcome o = hooks.receive("bench", "crm", key, "application/json", body, null);
                    if (!o.status().equals("accepted")) {
                        throw new IllegalStateException("delivery " + i + ": " + o.status());
                    }
                } else {
                    writing.write(db, new ProfileChange("email", email, Map.of("email", email, "name", "Lead " + i, "city", "Kazan"),
                            List.of(new ProfileChange.SubscriptionInput("email", email, null, null)), null, null), WriteMode.UPSERT,
                            ProfileSource.API);
                    EventIngest.Outcome o = ingest.ingest(List.of(new org.orbita.profiles.EventInput("in-L" + i, db.id(), "email", email,
                            "lead.received", null, null, Map.of("amount", i % 500, "source", "crm"))), k -> java.util.Optional.of(db));
                    if (!o.rejected().isEmpty()) {
                        throw new IllegalStateException("event " + i + ": " + o.rejected());
                    }
                }
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            long profiles = store.profiles().count(db.id());
            System.out.printf("%s: %,d in %.1f s = %,.0f/s; %,d profiles%n", throughWebhook ? "webhook deliveries" : "reference upserts + events", n, secs,
                    n / secs, profiles);
            if (profiles != n) {
                throw new IllegalStateException("expected " + n + " profiles, found " + profiles);
            }
            return n / secs;
        }
    }
}
