package org.orbita.journeys.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.bson.conversions.Bson;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.journeys.JourneyLedger;
import org.orbita.storage.mongo.MongoConnection;

/**
 * Journey instances in MongoDB: one document per instance, a lock document per journey and
 * profile while an exclusive instance lives, and per-node counters.
 */
public final class MongoJourneyLedger extends CountedJourneyLedger {

    private final MongoCollection<Document> journeys;
    private final MongoCollection<Document> journeyLocks;
    private final MongoCollection<Document> journeyCounts;
    private final MongoCollection<Document> inbox;

    public MongoJourneyLedger(MongoConnection mongo) {
        this.journeys = mongo.collection("journey_instances");
        journeys.createIndex(Indexes.ascending("journey", "p", "entered"));
        journeys.createIndex(Indexes.ascending("state", "journey", "_id"));
        journeys.createIndex(Indexes.ascending("db", "p", "entered"));
        this.journeyLocks = mongo.collection("journey_locks");
        this.journeyCounts = mongo.collection("journey_counts");
        journeyCounts.createIndex(Indexes.ascending("journey"));
        this.inbox = mongo.collection("journey_inbox");
        inbox.createIndex(Indexes.ascending("id"));
    }

    // ---- journey ledger: instances by id; a lock document per journey and profile while an exclusive instance lives

    @Override
    public boolean enter(JourneyLedger.Instance i, boolean exclusive) {
        String lock = i.journeyId() + '\u0000' + i.profileId();
        if (exclusive && !MongoConnection.insertNew(journeyLocks, new Document("_id", lock).append("instance", i.id()))) {
            return false;
        }
        Document d = new Document("_id", i.id()).append("ws", i.workspaceId()).append("journey", i.journeyId()).append("version", i.version())
                .append("db", i.databaseId()).append("p", i.profileId()).append("node", i.node()).append("state", i.state())
                .append("entered", i.enteredAt().toEpochMilli()).append("step", i.stepAt().toEpochMilli())
                .append("vars", Json.write(i.variables())).append("incident", i.incident()).append("path", new ArrayList<>(List.of(i.node())));
        if (!MongoConnection.insertNew(journeys, d)) {
            if (exclusive) {
                journeyLocks.deleteOne(Filters.and(Filters.eq("_id", lock), Filters.eq("instance", i.id())));
            }
            return false;
        }
        count(i.journeyId(), i.node(), JourneyLedger.ENTERED);
        count(i.journeyId(), LedgerCounts.version(i.version()), JourneyLedger.ENTERED);
        return true;
    }

    private void count(String journey, String node, String kind) {
        count(journey, node, kind, 0);
    }

    /** One more of a kind, and {@code ms} more milliseconds beside it (a link taken: the time spent in the node it left). */
    private void count(String journey, String node, String kind, long ms) {
        journeyCounts.updateOne(Filters.eq("_id", journey + '\u0000' + node + '\u0000' + kind), Updates.combine(
                Updates.setOnInsert("journey", journey), Updates.setOnInsert("node", node),
                Updates.setOnInsert("kind", kind), Updates.inc("n", 1L), Updates.inc("ms", ms)),
                new UpdateOptions().upsert(true));
    }

    @Override
    public void step(String id, String from, String to, Instant at, Map<String, Object> variables) {
        boolean moved = !to.equals(from); // staying at a node (a best-time wait) counts nothing
        List<Bson> set = new ArrayList<>(List.of(Updates.set("node", to), Updates.set("step", at.toEpochMilli()),
                Updates.set("vars", Json.write(variables)), Updates.set("incident", null)));
        if (moved) {
            set.add(Updates.pushEach("path", List.of(to), new com.mongodb.client.model.PushOptions().slice(-LedgerCounts.PATH_STEPS)));
        }
        Document before = journeys.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.eq("state", JourneyLedger.LIVE)), Updates.combine(set));
        if (before != null && moved) {
            String journey = before.getString("journey");
            if (from != null) {
                // one counter per link taken: the node's completions and its time spent are their sums
                count(journey, from, LedgerCounts.TAKEN + to, Math.max(0, at.toEpochMilli() - ((Number) before.get("step")).longValue()));
            }
            count(journey, to, JourneyLedger.ENTERED);
        }
    }

    @Override
    public void end(String id, String node, String state, Instant at) {
        Document before = journeys.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.eq("state", JourneyLedger.LIVE)),
                Updates.combine(Updates.set("node", node),
                        Updates.set("state", state), Updates.set("step", at.toEpochMilli()),
                        Updates.set("incident", null)));
        if (before != null) {
            journeyLocks.deleteOne(Filters.and(Filters.eq("_id", before.getString("journey") + '\u0000' + before.getString("p")),
                    Filters.eq("instance", id)));
            count(before.getString("journey"), node, JourneyLedger.EXITED);
            count(before.getString("journey"), LedgerCounts.version(((Number) before.get("version")).intValue()), state);
        }
    }

    @Override
    public void incident(String id, String text) {
        journeys.updateOne(Filters.eq("_id", id), Updates.set("incident", text));
    }

    @Override
    public void converted(String instanceId, String node, String attributedTo) {
        Document before = journeys.findOneAndUpdate(Filters.eq("_id", instanceId), Updates.set("converted", true));
        if (before == null) {
            return;
        }
        String journey = before.getString("journey");
        count(journey, node, JourneyLedger.CONVERTED);
        if (attributedTo != null) {
            count(journey, attributedTo, LedgerCounts.ATTRIBUTED);
        }
        if (!Boolean.TRUE.equals(before.getBoolean("converted"))) {
            for (String[] link : LedgerCounts.links(String.join(">", pathOf(before)))) {
                count(journey, link[0], LedgerCounts.CONVERTED_AFTER + link[1]);
            }
            count(journey, LedgerCounts.version(((Number) before.get("version")).intValue()), JourneyLedger.CONVERTED);
        }
    }

    private static List<String> pathOf(Document d) {
        List<String> path = d.getList("path", String.class);
        return path == null ? List.of() : path;
    }

    @Override
    public List<String> path(String instanceId) {
        Document d = journeys.find(Filters.eq("_id", instanceId)).first();
        return d == null ? List.of() : List.copyOf(pathOf(d));
    }

    @Override
    protected List<LedgerCounts.Count> counts(String journeyId) {
        List<LedgerCounts.Count> out = new ArrayList<>();
        for (Document d : journeyCounts.find(Filters.eq("journey", journeyId))) {
            out.add(new LedgerCounts.Count(d.getString("node"), d.getString("kind"), ((Number) d.get("n")).longValue(),
                    d.get("ms") == null ? 0 : ((Number) d.get("ms")).longValue()));
        }
        return out;
    }

    @Override
    public Optional<JourneyLedger.Instance> find(String id) {
        Document d = journeys.find(Filters.eq("_id", id)).first();
        return d == null ? Optional.empty() : Optional.of(instance(d));
    }

    private static JourneyLedger.Instance instance(Document d) {
        return new JourneyLedger.Instance(d.getString("_id"), d.getString("ws"), d.getString("journey"),
                ((Number) d.get("version")).intValue(), d.getString("db"), d.getString("p"), d.getString("node"), d.getString("state"),
                Instant.ofEpochMilli(((Number) d.get("entered")).longValue()), Instant.ofEpochMilli(((Number) d.get("step")).longValue()),
                Json.readMap(d.getString("vars")), d.getString("incident"));
    }

    private List<JourneyLedger.Instance> instances(Bson filter, Bson sort, int limit) {
        List<JourneyLedger.Instance> out = new ArrayList<>();
        for (Document d : journeys.find(filter).sort(sort).limit(limit)) {
            out.add(instance(d));
        }
        return out;
    }

    @Override
    public Optional<Instant> lastEntered(String journeyId, String profileId) {
        Document d = journeys.find(Filters.and(Filters.eq("journey", journeyId), Filters.eq("p", profileId))).sort(Sorts.descending("entered")).first();
        return d == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(((Number) d.get("entered")).longValue()));
    }

    @Override
    public List<JourneyLedger.Instance> live(String afterId, int limit) {
        return instances(Filters.and(Filters.eq("state", JourneyLedger.LIVE), Filters.gt("_id", afterId == null ? "" : afterId)),
                Sorts.ascending("_id"), limit);
    }

    @Override
    public List<JourneyLedger.Instance> live(String journeyId, String afterId, int limit) {
        return instances(Filters.and(Filters.eq("state", JourneyLedger.LIVE), Filters.eq("journey", journeyId),
                Filters.gt("_id", afterId == null ? "" : afterId)), Sorts.ascending("_id"), limit);
    }

    @Override
    public List<JourneyLedger.Instance> ofProfile(String databaseId, String profileId, int limit) {
        return instances(Filters.and(Filters.eq("db", databaseId), Filters.eq("p", profileId)), Sorts.orderBy(Sorts.descending("entered"),
                Sorts.descending("_id")), limit);
    }

    @Override
    public List<JourneyLedger.Instance> incidents(String journeyId, int limit) {
        return instances(Filters.and(Filters.eq("state", JourneyLedger.LIVE), Filters.eq("journey", journeyId),
                Filters.ne("incident", null)), Sorts.descending("step"), limit);
    }

    // ---- the inbox: documents in insertion order (ObjectIds rise with time and a counter)

    @Override
    public void pend(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Document> docs = new ArrayList<>();
        for (Event e : events) {
            docs.add(new Document("_id", new ObjectId()).append("id", e.id()).append("db", e.databaseId()).append("p", e.profileId())
                    .append("type", e.type()).append("channel", e.channel()).append("ts", e.time().toEpochMilli())
                    .append("props", Json.write(e.properties())));
        }
        inbox.insertMany(docs);
    }

    @Override
    public List<Event> pending(int limit) {
        List<Event> out = new ArrayList<>();
        for (Document d : inbox.find().sort(Sorts.ascending("_id")).limit(limit)) {
            out.add(new Event(d.getString("id"), d.getString("db"), d.getString("p"), d.getString("type"), d.getString("channel"),
                    Instant.ofEpochMilli(((Number) d.get("ts")).longValue()), Json.readMap(d.getString("props"))));
        }
        return out;
    }

    @Override
    public void taken(Collection<String> eventIds) {
        if (!eventIds.isEmpty()) {
            inbox.deleteMany(Filters.in("id", eventIds));
        }
    }

    @Override
    protected Map<String, Long> liveBy(String field, String journeyId) {
        Map<String, Long> out = new TreeMap<>();
        for (Document d : journeys.aggregate(List.of(Aggregates.match(Filters.and(
                Filters.eq("state", JourneyLedger.LIVE), Filters.eq("journey", journeyId))),
                Aggregates.group("$" + field, Accumulators.sum("n", 1))))) {
            out.put(String.valueOf(d.get("_id")), ((Number) d.get("n")).longValue());
        }
        return out;
    }
}
