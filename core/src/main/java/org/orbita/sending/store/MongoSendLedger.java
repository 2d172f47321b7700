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
import java.util.Set;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.orbita.common.Json;
import org.orbita.sending.SendLedger;
import org.orbita.storage.mongo.MongoConnection;

/** The send ledger in MongoDB: one document per run, profile and channel; {@code _id} = run NUL key. */
public final class MongoSendLedger implements SendLedger {

    private final MongoCollection<Document> ledger;

    public MongoSendLedger(MongoConnection mongo) {
        this.ledger = mongo.collection("send_ledger");
        ledger.createIndex(Indexes.ascending("run", "k"));
        ledger.createIndex(Indexes.ascending("p", "ch", "at"));
        ledger.createIndex(Indexes.ascending("run", "due"));
    }

    @Override
    public Map<String, SendLedger.Entry> reserve(String runId, List<SendLedger.Entry> entries) {
        Map<String, SendLedger.Entry> out = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (SendLedger.Entry e : entries) {
            String id = runId + '\u0000' + e.key();
            ids.add(id);
            writes.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.combine(
                    Updates.setOnInsert("run", runId), Updates.setOnInsert("k", e.key()),
                    Updates.setOnInsert("p", e.profileId()), Updates.setOnInsert("ch", e.channel()),
                    Updates.setOnInsert("state", e.state()), Updates.setOnInsert("detail", e.detail()),
                    Updates.setOnInsert("at", System.currentTimeMillis()),
                    Updates.setOnInsert("due", e.due() == null ? null : e.due().toEpochMilli())),
                    new UpdateOptions().upsert(true)));
        }
        ledger.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        Map<String, SendLedger.Entry> standing = new HashMap<>();
        for (Document d : ledger.find(Filters.in("_id", ids))) {
            standing.put(d.getString("k"), ledgerEntry(d));
        }
        for (SendLedger.Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    private static SendLedger.Entry ledgerEntry(Document d) {
        Number due = (Number) d.get("due");
        return new SendLedger.Entry(d.getString("p"), d.getString("ch"), d.getString("state"), d.getString("detail"),
                due == null ? null : Instant.ofEpochMilli(due.longValue()));
    }

    @Override
    public Map<String, Long> sentSince(Collection<String> profileIds, String channel, Instant since, String exceptRun) {
        Map<String, Long> out = new HashMap<>();
        if (profileIds.isEmpty()) {
            return out;
        }
        for (Document d : ledger.aggregate(List.of(Aggregates.match(Filters.and(Filters.in("p", profileIds),
                        Filters.eq("ch", channel), Filters.gte("at", since.toEpochMilli()), Filters.ne("run", exceptRun),
                        Filters.in("state", List.of("pending", "queued", "sending", "delivered")))),
                Aggregates.group("$p", Accumulators.sum("n", 1))))) {
            out.put(d.getString("_id"), ((Number) d.get("n")).longValue());
        }
        return out;
    }

    @Override
    public List<SendLedger.Entry> due(String runId, Instant now, int limit) {
        List<SendLedger.Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"), Filters.lte("due", now.toEpochMilli())))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(ledgerEntry(d));
        }
        return out;
    }

    @Override
    public Optional<Instant> nextDue(String runId) {
        Document d = ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"))).sort(Sorts.ascending("due")).first();
        return d == null || d.get("due") == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(((Number) d.get("due")).longValue()));
    }

    @Override
    public void mark(String runId, Collection<SendLedger.Entry> entries) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (SendLedger.Entry e : entries) {
            writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", runId + '\u0000' + e.key()),
                    Filters.eq("state", SendLedger.PENDING)),
                    Updates.combine(Updates.set("state", e.state()),
                            Updates.set("detail", e.detail()),
                            Updates.set("due", e.due() == null ? null : e.due().toEpochMilli()))));
        }
        if (!writes.isEmpty()) {
            ledger.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public boolean advance(String runId, String key, String from, String to, String detail) {
        return ledger.updateOne(Filters.and(Filters.eq("_id", runId + '\u0000' + key), Filters.eq("state", from)),
                Updates.combine(Updates.set("state", to),
                        Updates.set("detail", detail))).getModifiedCount() == 1;
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
    public List<SendLedger.Entry> entries(String runId, String afterKey, int limit) {
        List<SendLedger.Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.gt("k", afterKey == null ? "" : afterKey)))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(ledgerEntry(d));
        }
        return out;
    }
}
