package org.orbita.storage.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.bson.Document;
import org.orbita.common.Json;
import org.bson.conversions.Bson;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.storage.ProfileEngine;

/**
 * The production store: MongoDB through the official driver. Without relying on
 * multi-document transactions: a profile's keys are separate documents whose {@code _id}
 * is the key itself, so the unique index on {@code _id} decides who owns a value; writes
 * claim new keys first, then write the profile, then release old keys — each step
 * idempotent, so a retried write converges.
 */
public final class MongoStore implements ProfileEngine {

    private final MongoClient client;
    private final MongoCollection<Document> profiles;
    private final MongoCollection<Document> keys;
    private final MongoDatabase database;
    private final MongoCollection<Document> members;
    private final MongoCollection<Document> recent;
    private final MongoCollection<Document> ledger;

    public MongoStore(String uri, String databaseName) {
        this.client = MongoClients.create(uri);
        this.database = client.getDatabase(databaseName);
        this.profiles = database.getCollection("profiles");
        this.keys = database.getCollection("profile_keys");
        profiles.createIndex(Indexes.ascending("db", "id"), new IndexOptions().unique(true));
        keys.createIndex(Indexes.ascending("db", "profileId"));
        this.members = database.getCollection("segment_members");
        members.createIndex(Indexes.ascending("db", "p"));
        members.createIndex(Indexes.ascending("s", "p"));
        this.recent = database.getCollection("recent_events");
        recent.createIndex(Indexes.ascending("db", "p", "t"));
        recent.createIndex(Indexes.ascending("t"));
        this.ledger = database.getCollection("send_ledger");
        ledger.createIndex(Indexes.ascending("run", "k"));
        ledger.createIndex(Indexes.ascending("p", "ch", "at"));
        ledger.createIndex(Indexes.ascending("run", "due"));
        this.journeys = database.getCollection("journey_instances");
        journeys.createIndex(Indexes.ascending("journey", "p", "entered"));
        journeys.createIndex(Indexes.ascending("state", "journey", "_id"));
        journeys.createIndex(Indexes.ascending("db", "p", "entered"));
        this.journeyLocks = database.getCollection("journey_locks");
        this.journeyCounts = database.getCollection("journey_counts");
        journeyCounts.createIndex(Indexes.ascending("journey"));
    }

    private final MongoCollection<Document> journeys;
    private final MongoCollection<Document> journeyLocks;
    private final MongoCollection<Document> journeyCounts;

    // ---- journey ledger: instances by id; a lock document per journey and profile while an exclusive instance lives

    @Override
    public boolean enter(org.orbita.journeys.JourneyLedger.Instance i, boolean exclusive) {
        String lock = i.journeyId() + '\u0000' + i.profileId();
        if (exclusive && !insertNew(journeyLocks, new Document("_id", lock).append("instance", i.id()))) {
            return false;
        }
        Document d = new Document("_id", i.id()).append("ws", i.workspaceId()).append("journey", i.journeyId()).append("version", i.version())
                .append("db", i.databaseId()).append("p", i.profileId()).append("node", i.node()).append("state", i.state())
                .append("entered", i.enteredAt().toEpochMilli()).append("step", i.stepAt().toEpochMilli())
                .append("vars", Json.write(i.variables())).append("incident", i.incident());
        if (!insertNew(journeys, d)) {
            if (exclusive) {
                journeyLocks.deleteOne(Filters.and(Filters.eq("_id", lock), Filters.eq("instance", i.id())));
            }
            return false;
        }
        count(i.journeyId(), i.node(), org.orbita.journeys.JourneyLedger.ENTERED);
        return true;
    }

    private static boolean insertNew(MongoCollection<Document> c, Document d) {
        try {
            c.insertOne(d);
            return true;
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private void count(String journey, String node, String kind) {
        journeyCounts.updateOne(Filters.eq("_id", journey + '\u0000' + node + '\u0000' + kind), com.mongodb.client.model.Updates.combine(
                com.mongodb.client.model.Updates.setOnInsert("journey", journey), com.mongodb.client.model.Updates.setOnInsert("node", node),
                com.mongodb.client.model.Updates.setOnInsert("kind", kind), com.mongodb.client.model.Updates.inc("n", 1L)),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
    }

    @Override
    public void step(String id, String from, String to, java.time.Instant at, Map<String, Object> variables) {
        Document before = journeys.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE)),
                com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set("node", to),
                        com.mongodb.client.model.Updates.set("step", at.toEpochMilli()), com.mongodb.client.model.Updates.set("vars", Json.write(variables)),
                        com.mongodb.client.model.Updates.set("incident", null)));
        if (before != null && !to.equals(from)) { // staying at a node (a best-time wait) counts nothing
            if (from != null) {
                count(before.getString("journey"), from, org.orbita.journeys.JourneyLedger.COMPLETED);
            }
            count(before.getString("journey"), to, org.orbita.journeys.JourneyLedger.ENTERED);
        }
    }

    @Override
    public void end(String id, String node, String state, java.time.Instant at) {
        Document before = journeys.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE)),
                com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set("node", node),
                        com.mongodb.client.model.Updates.set("state", state), com.mongodb.client.model.Updates.set("step", at.toEpochMilli()),
                        com.mongodb.client.model.Updates.set("incident", null)));
        if (before != null) {
            journeyLocks.deleteOne(Filters.and(Filters.eq("_id", before.getString("journey") + '\u0000' + before.getString("p")),
                    Filters.eq("instance", id)));
            count(before.getString("journey"), node, org.orbita.journeys.JourneyLedger.EXITED);
        }
    }

    @Override
    public void incident(String id, String text) {
        journeys.updateOne(Filters.eq("_id", id), com.mongodb.client.model.Updates.set("incident", text));
    }

    @Override
    public void converted(String journeyId, String node) {
        count(journeyId, node, org.orbita.journeys.JourneyLedger.CONVERTED);
    }

    @Override
    public Optional<org.orbita.journeys.JourneyLedger.Instance> find(String id) {
        Document d = journeys.find(Filters.eq("_id", id)).first();
        return d == null ? Optional.empty() : Optional.of(instance(d));
    }

    private static org.orbita.journeys.JourneyLedger.Instance instance(Document d) {
        return new org.orbita.journeys.JourneyLedger.Instance(d.getString("_id"), d.getString("ws"), d.getString("journey"),
                ((Number) d.get("version")).intValue(), d.getString("db"), d.getString("p"), d.getString("node"), d.getString("state"),
                java.time.Instant.ofEpochMilli(((Number) d.get("entered")).longValue()), java.time.Instant.ofEpochMilli(((Number) d.get("step")).longValue()),
                Json.readMap(d.getString("vars")), d.getString("incident"));
    }

    private List<org.orbita.journeys.JourneyLedger.Instance> instances(org.bson.conversions.Bson filter, org.bson.conversions.Bson sort, int limit) {
        List<org.orbita.journeys.JourneyLedger.Instance> out = new ArrayList<>();
        for (Document d : journeys.find(filter).sort(sort).limit(limit)) {
            out.add(instance(d));
        }
        return out;
    }

    @Override
    public Optional<java.time.Instant> lastEntered(String journeyId, String profileId) {
        Document d = journeys.find(Filters.and(Filters.eq("journey", journeyId), Filters.eq("p", profileId))).sort(Sorts.descending("entered")).first();
        return d == null ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(((Number) d.get("entered")).longValue()));
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> live(String afterId, int limit) {
        return instances(Filters.and(Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE), Filters.gt("_id", afterId == null ? "" : afterId)),
                Sorts.ascending("_id"), limit);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> live(String journeyId, String afterId, int limit) {
        return instances(Filters.and(Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE), Filters.eq("journey", journeyId),
                Filters.gt("_id", afterId == null ? "" : afterId)), Sorts.ascending("_id"), limit);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> ofProfile(String databaseId, String profileId, int limit) {
        return instances(Filters.and(Filters.eq("db", databaseId), Filters.eq("p", profileId)), Sorts.orderBy(Sorts.descending("entered"),
                Sorts.descending("_id")), limit);
    }

    @Override
    public List<org.orbita.journeys.JourneyLedger.Instance> incidents(String journeyId, int limit) {
        return instances(Filters.and(Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE), Filters.eq("journey", journeyId),
                Filters.ne("incident", null)), Sorts.descending("step"), limit);
    }

    @Override
    public Map<String, org.orbita.journeys.JourneyLedger.NodeStats> stats(String journeyId) {
        Map<String, long[]> n = new java.util.TreeMap<>();
        List<String> kinds = List.of(org.orbita.journeys.JourneyLedger.ENTERED, org.orbita.journeys.JourneyLedger.COMPLETED, "waiting",
                org.orbita.journeys.JourneyLedger.EXITED, org.orbita.journeys.JourneyLedger.CONVERTED);
        for (Document d : journeyCounts.find(Filters.eq("journey", journeyId))) {
            n.computeIfAbsent(d.getString("node"), k -> new long[5])[kinds.indexOf(d.getString("kind"))] = ((Number) d.get("n")).longValue();
        }
        for (Document d : journeys.aggregate(List.of(com.mongodb.client.model.Aggregates.match(Filters.and(
                Filters.eq("state", org.orbita.journeys.JourneyLedger.LIVE), Filters.eq("journey", journeyId))),
                com.mongodb.client.model.Aggregates.group("$node", com.mongodb.client.model.Accumulators.sum("n", 1))))) {
            n.computeIfAbsent(d.getString("_id"), k -> new long[5])[2] = ((Number) d.get("n")).longValue();
        }
        Map<String, org.orbita.journeys.JourneyLedger.NodeStats> out = new java.util.LinkedHashMap<>();
        n.forEach((node, v) -> out.put(node, new org.orbita.journeys.JourneyLedger.NodeStats(v[0], v[1], v[2], v[3], v[4])));
        return out;
    }

    private static String keyId(String db, ProfileKey key) {
        return db + '\u0000' + key.field() + '\u0000' + key.value();
    }

    private static String profileDocId(String db, String id) {
        return db + '\u0000' + id;
    }

    @Override
    public Optional<Profile> find(String databaseId, String id) {
        Document d = profiles.find(Filters.eq("_id", profileDocId(databaseId, id))).first();
        return Optional.ofNullable(d).map(MongoStore::toProfile);
    }

    private static Profile toProfile(Document d) {
        return BsonValues.fromDocument(d.get("doc", Document.class), Profile.class);
    }

    @Override
    public Optional<String> findOwner(String databaseId, ProfileKey key) {
        Document d = keys.find(Filters.eq("_id", keyId(databaseId, key))).first();
        return Optional.ofNullable(d).map(k -> k.getString("profileId"));
    }

    @Override
    public void save(Profile profile, Set<ProfileKey> newKeys, Set<ProfileKey> previous) {
        String db = profile.databaseId();
        // Always read the stored keys: without transactions, a crashed write may have left some.
        Set<ProfileKey> old = keysOf(db, profile.id());
        List<ProfileKey> claimed = new ArrayList<>();
        for (ProfileKey key : newKeys) {
            if (old.contains(key)) {
                continue;
            }
            try {
                keys.insertOne(new Document("_id", keyId(db, key)).append("db", db).append("profileId", profile.id())
                        .append("field", key.field()).append("value", key.value()));
                claimed.add(key);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                String owner = findOwner(db, key).orElse(null);
                if (owner != null && !owner.equals(profile.id())) {
                    claimed.forEach(k -> keys.deleteOne(Filters.and(Filters.eq("_id", keyId(db, k)),
                            Filters.eq("profileId", profile.id()))));
                    throw new KeyTakenException(key, owner);
                }
            }
        }
        Document doc = new Document("_id", profileDocId(db, profile.id())).append("db", db).append("id", profile.id())
                .append("doc", BsonValues.toDocument(profile));
        profiles.replaceOne(Filters.eq("_id", profileDocId(db, profile.id())), doc, new ReplaceOptions().upsert(true));
        for (ProfileKey key : old) {
            if (!newKeys.contains(key)) {
                keys.deleteOne(Filters.and(Filters.eq("_id", keyId(db, key)), Filters.eq("profileId", profile.id())));
            }
        }
    }

    private Set<ProfileKey> keysOf(String db, String profileId) {
        Set<ProfileKey> result = new HashSet<>();
        for (Document k : keys.find(Filters.and(Filters.eq("db", db), Filters.eq("profileId", profileId)))) {
            result.add(new ProfileKey(k.getString("field"), k.getString("value")));
        }
        return result;
    }

    @Override
    public boolean delete(String databaseId, String id) {
        boolean deleted = profiles.deleteOne(Filters.eq("_id", profileDocId(databaseId, id))).getDeletedCount() > 0;
        keys.deleteMany(Filters.and(Filters.eq("db", databaseId), Filters.eq("profileId", id)));
        return deleted;
    }

    @Override
    public long count(String databaseId) {
        return profiles.countDocuments(Filters.eq("db", databaseId));
    }

    @Override
    public List<Profile> page(String databaseId, String afterId, int limit) {
        return pageAfter(profiles, Filters.eq("db", databaseId), "id", afterId, limit, MongoStore::toProfile);
    }

    /** Documents matching {@code base} with {@code key} after {@code after} (null: from the start), in key order. */
    private static <T> List<T> pageAfter(MongoCollection<Document> c, Bson base, String key, String after, int limit,
            java.util.function.Function<Document, T> map) {
        Bson filter = after == null ? base : Filters.and(base, Filters.gt(key, after));
        List<T> page = new ArrayList<>();
        for (Document d : c.find(filter).sort(Sorts.ascending(key)).limit(limit)) {
            page.add(map.apply(d));
        }
        return page;
    }

    @Override
    public Optional<String> idAt(String databaseId, long position) {
        Document d = profiles.find(Filters.eq("db", databaseId)).sort(Sorts.ascending("id"))
                .projection(new Document("id", 1)).skip((int) position).limit(1).first();
        return d == null ? Optional.empty() : Optional.of(d.getString("id"));
    }

    /** Text search is a scan of one database's documents in id order (no $text index needed). */
    @Override
    public List<Profile> search(String databaseId, ProfileFilter filter, int offset, int limit) {
        List<Profile> found = new ArrayList<>();
        long[] skipped = {0};
        scanMatching(databaseId, filter, p -> {
            if (skipped[0]++ >= offset) {
                found.add(p);
            }
            return found.size() < limit;
        });
        return found;
    }

    @Override
    public long countSearch(String databaseId, ProfileFilter filter) {
        long[] n = {0};
        scanMatching(databaseId, filter, p -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    private void scanMatching(String databaseId, ProfileFilter filter, java.util.function.Predicate<Profile> onMatch) {
        String needle = filter.text().toLowerCase(java.util.Locale.ROOT);
        Bson query = Filters.eq("db", databaseId);
        if (filter.hasField()) {
            Object value = filter.value() instanceof java.math.BigDecimal d ? new org.bson.types.Decimal128(d) : filter.value();
            query = Filters.and(query, Filters.eq("doc.fields." + filter.field(), value));
        }
        for (Document d : profiles.find(query).sort(Sorts.ascending("id"))) {
            Document doc = d.get("doc", Document.class);
            if (needle.isEmpty() || doc.toJson().toLowerCase(java.util.Locale.ROOT).contains(needle)) {
                if (!onMatch.test(toProfile(d))) {
                    return;
                }
            }
        }
    }

    @Override
    public void deleteDatabase(String databaseId) {
        members.deleteMany(Filters.eq("db", databaseId));
        recent.deleteMany(Filters.eq("db", databaseId));
        profiles.deleteMany(Filters.eq("db", databaseId));
        keys.deleteMany(Filters.eq("db", databaseId));
    }

    /** MongoDB runs the work as it comes; each write above is safe to repeat. */
    // ---- send ledger: one document per run, profile and channel; _id = run NUL key

    @Override
    public Map<String, org.orbita.campaigns.SendLedger.Entry> reserve(String runId, List<org.orbita.campaigns.SendLedger.Entry> entries) {
        Map<String, org.orbita.campaigns.SendLedger.Entry> out = new java.util.LinkedHashMap<>();
        if (entries.isEmpty()) {
            return out;
        }
        List<com.mongodb.client.model.WriteModel<Document>> writes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (org.orbita.campaigns.SendLedger.Entry e : entries) {
            String id = runId + '\u0000' + e.key();
            ids.add(id);
            writes.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", id), com.mongodb.client.model.Updates.combine(
                    com.mongodb.client.model.Updates.setOnInsert("run", runId), com.mongodb.client.model.Updates.setOnInsert("k", e.key()),
                    com.mongodb.client.model.Updates.setOnInsert("p", e.profileId()), com.mongodb.client.model.Updates.setOnInsert("ch", e.channel()),
                    com.mongodb.client.model.Updates.setOnInsert("state", e.state()), com.mongodb.client.model.Updates.setOnInsert("detail", e.detail()),
                    com.mongodb.client.model.Updates.setOnInsert("at", System.currentTimeMillis()),
                    com.mongodb.client.model.Updates.setOnInsert("due", e.due() == null ? null : e.due().toEpochMilli())),
                    new com.mongodb.client.model.UpdateOptions().upsert(true)));
        }
        ledger.bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        Map<String, org.orbita.campaigns.SendLedger.Entry> standing = new java.util.HashMap<>();
        for (Document d : ledger.find(Filters.in("_id", ids))) {
            standing.put(d.getString("k"), ledgerEntry(d));
        }
        for (org.orbita.campaigns.SendLedger.Entry e : entries) {
            out.put(e.key(), standing.get(e.key()));
        }
        return out;
    }

    private static org.orbita.campaigns.SendLedger.Entry ledgerEntry(Document d) {
        Number due = (Number) d.get("due");
        return new org.orbita.campaigns.SendLedger.Entry(d.getString("p"), d.getString("ch"), d.getString("state"), d.getString("detail"),
                due == null ? null : java.time.Instant.ofEpochMilli(due.longValue()));
    }

    @Override
    public Map<String, Long> sentSince(java.util.Collection<String> profileIds, String channel, java.time.Instant since, String exceptRun) {
        Map<String, Long> out = new java.util.HashMap<>();
        if (profileIds.isEmpty()) {
            return out;
        }
        for (Document d : ledger.aggregate(List.of(com.mongodb.client.model.Aggregates.match(Filters.and(Filters.in("p", profileIds),
                        Filters.eq("ch", channel), Filters.gte("at", since.toEpochMilli()), Filters.ne("run", exceptRun),
                        Filters.in("state", List.of("pending", "queued", "sending", "delivered")))),
                com.mongodb.client.model.Aggregates.group("$p", com.mongodb.client.model.Accumulators.sum("n", 1))))) {
            out.put(d.getString("_id"), ((Number) d.get("n")).longValue());
        }
        return out;
    }

    @Override
    public List<org.orbita.campaigns.SendLedger.Entry> due(String runId, java.time.Instant now, int limit) {
        List<org.orbita.campaigns.SendLedger.Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"), Filters.lte("due", now.toEpochMilli())))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(ledgerEntry(d));
        }
        return out;
    }

    @Override
    public java.util.Optional<java.time.Instant> nextDue(String runId) {
        Document d = ledger.find(Filters.and(Filters.eq("run", runId), Filters.eq("state", "waiting"))).sort(Sorts.ascending("due")).first();
        return d == null || d.get("due") == null ? java.util.Optional.empty()
                : java.util.Optional.of(java.time.Instant.ofEpochMilli(((Number) d.get("due")).longValue()));
    }

    @Override
    public void mark(String runId, java.util.Collection<org.orbita.campaigns.SendLedger.Entry> entries) {
        List<com.mongodb.client.model.WriteModel<Document>> writes = new ArrayList<>();
        for (org.orbita.campaigns.SendLedger.Entry e : entries) {
            writes.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.and(Filters.eq("_id", runId + '\u0000' + e.key()),
                    Filters.eq("state", org.orbita.campaigns.SendLedger.PENDING)),
                    com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set("state", e.state()),
                            com.mongodb.client.model.Updates.set("detail", e.detail()),
                            com.mongodb.client.model.Updates.set("due", e.due() == null ? null : e.due().toEpochMilli()))));
        }
        if (!writes.isEmpty()) {
            ledger.bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public boolean advance(String runId, String key, String from, String to, String detail) {
        return ledger.updateOne(Filters.and(Filters.eq("_id", runId + '\u0000' + key), Filters.eq("state", from)),
                com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set("state", to),
                        com.mongodb.client.model.Updates.set("detail", detail))).getModifiedCount() == 1;
    }

    @Override
    public Map<String, Long> countByState(String runId) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Document d : ledger.aggregate(List.of(com.mongodb.client.model.Aggregates.match(Filters.eq("run", runId)),
                com.mongodb.client.model.Aggregates.group("$state", com.mongodb.client.model.Accumulators.sum("n", 1))))) {
            out.put(d.getString("_id"), ((Number) d.get("n")).longValue());
        }
        return out;
    }

    @Override
    public List<org.orbita.campaigns.SendLedger.Entry> entries(String runId, String afterKey, int limit) {
        List<org.orbita.campaigns.SendLedger.Entry> out = new ArrayList<>();
        for (Document d : ledger.find(Filters.and(Filters.eq("run", runId), Filters.gt("k", afterKey == null ? "" : afterKey)))
                .sort(Sorts.ascending("k")).limit(limit)) {
            out.add(ledgerEntry(d));
        }
        return out;
    }

    // ---- recent events: one document per event, _id = the event id

    @Override
    public void addRecent(List<org.orbita.events.Event> events) {
        List<com.mongodb.client.model.WriteModel<Document>> writes = new ArrayList<>();
        for (org.orbita.events.Event e : events) {
            if (e.profileId() == null) {
                continue;
            }
            Document d = new Document("_id", e.id()).append("db", e.databaseId()).append("p", e.profileId())
                    .append("t", e.time().toEpochMilli()).append("type", e.type()).append("ch", e.channel())
                    .append("props", e.properties().isEmpty() ? null : org.orbita.common.Json.write(e.properties()));
            writes.add(new com.mongodb.client.model.ReplaceOneModel<>(Filters.eq("_id", e.id()), d,
                    new com.mongodb.client.model.ReplaceOptions().upsert(true)));
        }
        if (!writes.isEmpty()) {
            recent.bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public Map<String, List<org.orbita.events.Event>> recentOfRange(String databaseId, String fromId, String toId, java.time.Instant since) {
        Map<String, List<org.orbita.events.Event>> out = new java.util.HashMap<>();
        Bson filter = Filters.and(Filters.eq("db", databaseId), Filters.gte("p", fromId), Filters.lte("p", toId),
                Filters.gte("t", since == null ? Long.MIN_VALUE : since.toEpochMilli()));
        for (Document d : recent.find(filter).sort(Sorts.ascending("p", "t", "_id"))) {
            out.computeIfAbsent(d.getString("p"), k -> new ArrayList<>()).add(org.orbita.storage.EventRows.event(d.getString("_id"),
                    databaseId, d.getString("p"), d.getString("type"), d.getString("ch"), d.getLong("t"), d.getString("props")));
        }
        return out;
    }

    @Override
    public long pruneRecent(java.time.Instant before) {
        return recent.deleteMany(Filters.lt("t", before.toEpochMilli())).getDeletedCount();
    }

    // ---- segment members: one document per membership, _id = segment + NUL + profile

    @Override
    public List<MembershipChange> applyMemberships(String databaseId, List<MembershipChange> changes) {
        List<MembershipChange> applied = new ArrayList<>();
        for (MembershipChange m : changes) {
            String id = m.segmentId() + '\u0000' + m.profileId();
            if (m.member()) {
                var result = members.updateOne(Filters.eq("_id", id),
                        new Document("$setOnInsert", new Document("s", m.segmentId()).append("p", m.profileId()).append("db", databaseId)),
                        new com.mongodb.client.model.UpdateOptions().upsert(true));
                if (result.getUpsertedId() != null) {
                    applied.add(m);
                }
            } else if (members.deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0) {
                applied.add(m);
            }
        }
        return applied;
    }

    @Override
    public Set<String> segmentsOf(String databaseId, String profileId) {
        Set<String> out = new java.util.HashSet<>();
        for (Document d : members.find(Filters.and(Filters.eq("db", databaseId), Filters.eq("p", profileId)))) {
            out.add(d.getString("s"));
        }
        return out;
    }

    @Override
    public Map<String, Set<String>> segmentsOfRange(String databaseId, String fromId, String toId) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (Document d : members.find(Filters.and(Filters.eq("db", databaseId), Filters.gte("p", fromId), Filters.lte("p", toId)))) {
            out.computeIfAbsent(d.getString("p"), k -> new java.util.HashSet<>()).add(d.getString("s"));
        }
        return out;
    }

    @Override
    public long countMembers(String segmentId) {
        return members.countDocuments(Filters.eq("s", segmentId));
    }

    @Override
    public List<String> members(String segmentId, String afterProfileId, int limit) {
        return pageAfter(members, Filters.eq("s", segmentId), "p", afterProfileId, limit, d -> d.getString("p"));
    }

    @Override
    public void deleteMembers(java.util.Collection<String> segmentIds) {
        members.deleteMany(Filters.in("s", segmentIds));
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }

    // ---- settings -----------------------------------------------------------------

    private MongoCollection<Document> settings(String collection) {
        if (!Pattern.matches("[a-z_]{1,40}", collection)) {
            throw new IllegalArgumentException("bad settings collection name: " + collection);
        }
        return database.getCollection("settings_" + collection);
    }

    @Override
    public void put(String collection, String id, String json) {
        Document doc = new Document("_id", id).append("doc", BsonValues.toDocument(org.orbita.common.Json.readMap(json)));
        settings(collection).replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
    }

    @Override
    public Optional<String> get(String collection, String id) {
        Document d = settings(collection).find(Filters.eq("_id", id)).first();
        return Optional.ofNullable(d).map(MongoStore::settingsJson);
    }

    private static String settingsJson(Document d) {
        return org.orbita.common.Json.write(BsonValues.fromBson(d.get("doc", Document.class)));
    }

    @Override
    public List<String> list(String collection) {
        List<String> docs = new ArrayList<>();
        for (Document d : settings(collection).find().sort(Sorts.ascending("_id"))) {
            docs.add(settingsJson(d));
        }
        return docs;
    }

    @Override
    public boolean remove(String collection, String id) {
        return settings(collection).deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0;
    }

    @Override
    public void close() {
        client.close();
    }
}
