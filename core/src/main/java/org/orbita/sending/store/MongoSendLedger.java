package org.orbita.sending.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bson.Document;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.storage.mongo.MongoConnection;

/**
 * The send ledger in MongoDB: one document per run, profile and channel ({@code _id} = run NUL
 * key), and one per run saying what it is.
 */
public final class MongoSendLedger implements SendLedger {

    private static final List<String> OUTGOING = List.of("pending", "queued", "sending", "delivered");

    private final MongoCollection<Document> ledger;
    private final MongoCollection<Document> runs;

    public MongoSendLedger(MongoConnection mongo) {
        this.ledger = mongo.collection("send_ledger");
        this.runs = mongo.collection("send_runs");
        ledger.createIndex(Indexes.ascending("run", "k"));
        ledger.createIndex(Indexes.ascending("p", "ch", "at"));
        ledger.createIndex(Indexes.ascending("run", "due"));
        ledger.createIndex(Indexes.ascending("a", "ch", "at"), new com.mongodb.client.model.IndexOptions().sparse(true));
    }

    @Override
    public Map<String, Entry> reserve(Run run, List<Entry> entries) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        runs.updateOne(Filters.eq("_id", run.id()), Updates.combine(Updates.setOnInsert("kind", run.kind().id()),
                Updates.setOnInsert("ws", run.workspaceId()), Updates.setOnInsert("db", run.databaseId()),
                Updates.setOnInsert("campaign", run.campaignId()), Updates.setOnInsert("journey", run.journeyId())),
                new UpdateOptions().upsert(true));
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Entry e : entries) {
            String id = run.id() + '\u0000' + e.key();
            ids.add(id);
            List<org.bson.conversions.Bson> fields = new ArrayList<>(List.of(
                    Updates.setOnInsert("run", run.id()), Updates.setOnInsert("k", e.key()),
                    Updates.setOnInsert("p", e.profileId()), Updates.setOnInsert("ch", e.channel().id()),
                    Updates.setOnInsert("state", e.state().id()), Updates.setOnInsert("detail", e.detail()),
                    Updates.setOnInsert("at", now), Updates.setOnInsert("due", e.due() == null ? null : e.due().toEpochMilli())));
            if (e.address() != null) {
                fields.add(Updates.setOnInsert("a", e.address()));
            }
            writes.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.combine(fields), new UpdateOptions().upsert(true)));
        }
        ledger.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        Map<String, Entry> standing = new HashMap<>();
        for (Document d : ledger.find(Filters.in("_id", ids))) {
            standing.put(d.getString("k"), entry(d));
        }
        for (Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    private static Entry entry(Document d) {
        Number due = (Number) d.get("due");
        return new Entry(d.getString("p"), SendChannel.fromId(d.getString("ch")), LedgerState.fromId(d.getString("state")), d.getString("detail"),
                due == null ? null : Instant.ofEpochMilli(due.longValue()));
    }

    @Override
    public Optional<Run> run(String runId) {
        Document d = runs.find(Filters.eq("_id", runId)).first();
        return d == null ? Optional.empty() : Optional.of(new Run(runId, SendKind.fromId(d.getString("kind")), d.getString("ws"),
                d.getString("db"), d.getString("campaign"), d.getString("journey")));
    }

    @Override
    public Map<String, Long> sentSince(Collection<String> profileIds, SendChannel channel, Instant since, String exceptRun) {
        return outgoingSince("p", profileIds, channel, since, exceptRun);
    }

    @Override
    public Map<String, Long> sentToAddressesSince(Collection<String> addresses, SendChannel channel, Instant since, String exceptRun) {
        return outgoingSince("a", addresses, channel, since, exceptRun);
    }

    /** Per value of a key field (a profile, an address): outgoing entries of a channel since a moment, other runs only. */
    private Map<String, Long> outgoingSince(String field, Collection<String> keys, SendChannel channel, Instant since, String exceptRun) {
        Map<String, Long> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        for (Document d : ledger.aggregate(List.of(Aggregates.match(Filters.and(Filters.in(field, keys),
                        Filters.eq("ch", channel.id()), Filters.gte("at", since.toEpochMilli()), Filters.ne("run", exceptRun),
                        Filters.in("state", OUTGOING))),
                Aggregates.group("$" + field, Accumulators.sum("n", 1))))) {
            out.put(d.getString("_id"), ((Number) d.get("n")).longValue());
        }
        return out;
    }

    @Override
    public List<Entry> due(String runId, Instant now, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"), Filters.lte("due", now.toEpochMilli())))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(entry(d));
        }
        return out;
    }

    @Override
    public Optional<Instant> nextDue(String runId) {
        Document d = ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"))).sort(Sorts.ascending("due")).first();
        return d == null || d.get("due") == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(((Number) d.get("due")).longValue()));
    }

    @Override
    public void mark(String runId, Collection<Entry> entries) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (Entry e : entries) {
            writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", runId + '\u0000' + e.key()), Filters.eq("state", "pending")),
                    Updates.combine(Updates.set("state", e.state().id()), Updates.set("detail", e.detail()),
                            Updates.set("due", e.due() == null ? null : e.due().toEpochMilli()))));
        }
        if (!writes.isEmpty()) {
            ledger.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public boolean advance(String runId, String key, LedgerState from, LedgerState to, String detail) {
        return ledger.updateOne(Filters.and(Filters.eq("_id", runId + '\u0000' + key), Filters.eq("state", from.id())),
                Updates.combine(Updates.set("state", to.id()), Updates.set("detail", detail))).getModifiedCount() == 1;
    }

    @Override
    public Map<String, Long> countByState(String runId) {
        Map<String, Long> out = new TreeMap<>();
        for (Document d : ledger.aggregate(List.of(Aggregates.match(Filters.eq("run", runId)),
                Aggregates.group("$state", Accumulators.sum("n", 1))))) {
            out.put(d.getString("_id"), ((Number) d.get("n")).longValue());
        }
        return out;
    }

    @Override
    public List<Entry> entries(String runId, String afterKey, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.gt("k", afterKey == null ? "" : afterKey)))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(entry(d));
        }
        return out;
    }
}
