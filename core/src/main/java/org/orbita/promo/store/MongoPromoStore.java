package org.orbita.promo.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.orbita.promo.PromoStore;
import org.orbita.storage.mongo.MongoConnection;

/**
 * Promo codes in MongoDB: {@code promo_codes} under {@code _id} = workspace, pool and code (a
 * duplicate code is a duplicate key); an issue takes the next available code with one
 * {@code findOneAndUpdate} and then claims its key in {@code promo_keys} — when another node
 * claimed that key first, the code taken is put back and the winner's returned.
 */
public final class MongoPromoStore implements PromoStore {

    private final MongoCollection<Document> codes;
    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> counters;

    public MongoPromoStore(MongoConnection mongo) {
        this.codes = mongo.collection("promo_codes");
        this.keys = mongo.collection("promo_keys");
        this.counters = mongo.collection("promo_counters");
        codes.createIndex(Indexes.ascending("ws", "pool", "st", "seq"));
        codes.createIndex(Indexes.ascending("ws", "pool", "seq"));
        codes.createIndex(Indexes.ascending("ws", "pool", "k"));
        codes.createIndex(Indexes.ascending("ws", "db", "p"));
    }

    private static String id(String... parts) {
        return String.join("\u0000", parts);
    }

    private static Bson pool(String workspaceId, String poolId) {
        return Filters.and(Filters.eq("ws", workspaceId), Filters.eq("pool", poolId));
    }

    @Override
    public List<Integer> add(String workspaceId, String poolId, List<String> list) {
        List<Integer> refused = new ArrayList<>();
        if (list.isEmpty()) {
            return refused;
        }
        Document counter = counters.findOneAndUpdate(Filters.eq("_id", id(workspaceId, poolId)), Updates.inc("seq", (long) list.size()),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long first = counter.getLong("seq") - list.size() + 1;
        List<Document> docs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            docs.add(new Document("_id", id(workspaceId, poolId, list.get(i))).append("ws", workspaceId).append("pool", poolId)
                    .append("code", list.get(i)).append("seq", first + i).append("st", State.AVAILABLE.id()));
        }
        try {
            codes.insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCode() != 11000) {
                    throw e;
                }
                refused.add(error.getIndex());
            }
            refused.sort(null);
        }
        return refused;
    }

    @Override
    public Map<String, Issue> issue(String workspaceId, String poolId, List<Claim> claims, Instant at) {
        Map<String, Issue> out = new LinkedHashMap<>();
        for (Claim claim : claims) {
            if (out.containsKey(claim.key())) {
                continue;
            }
            Document before = codes.find(Filters.and(pool(workspaceId, poolId), Filters.eq("k", claim.key()))).first();
            if (before != null) {
                out.put(claim.key(), new Issue(code(before), false));
                continue;
            }
            Document taken = codes.findOneAndUpdate(Filters.and(pool(workspaceId, poolId), Filters.eq("st", State.AVAILABLE.id())),
                    Updates.combine(Updates.set("st", State.ISSUED.id()), Updates.set("db", claim.databaseId()), Updates.set("p", claim.profileId()),
                            Updates.set("k", claim.key()), Updates.set("iss", at.toEpochMilli())),
                    new FindOneAndUpdateOptions().sort(Sorts.ascending("seq")).returnDocument(ReturnDocument.AFTER));
            if (taken == null) {
                continue;
            }
            if (MongoConnection.insertNew(keys, new Document("_id", id(workspaceId, poolId, claim.key())).append("ws", workspaceId)
                    .append("pool", poolId).append("code", taken.getString("code")))) {
                out.put(claim.key(), new Issue(code(taken), true));
                continue;
            }
            // another node issued under this key meanwhile: put this code back, answer with that one
            codes.updateOne(Filters.and(Filters.eq("_id", taken.getString("_id")), Filters.eq("k", claim.key())),
                    Updates.combine(Updates.set("st", State.AVAILABLE.id()), Updates.unset("db"), Updates.unset("p"), Updates.unset("k"),
                            Updates.unset("iss")));
            Document winner = keys.find(Filters.eq("_id", id(workspaceId, poolId, claim.key()))).first();
            find(workspaceId, poolId, winner.getString("code")).ifPresent(c -> out.put(claim.key(), new Issue(c, false)));
        }
        return out;
    }

    @Override
    public Optional<Code> find(String workspaceId, String poolId, String code) {
        Document d = codes.find(Filters.eq("_id", id(workspaceId, poolId, code))).first();
        return d == null ? Optional.empty() : Optional.of(code(d));
    }

    @Override
    public Optional<Code> change(Code before, Code after) {
        Document done = codes.findOneAndUpdate(Filters.and(Filters.eq("_id", id(before.workspaceId(), before.poolId(), before.code())),
                        Filters.eq("st", before.state().id()), Filters.eq("p", before.profileId()), Filters.eq("k", before.key())),
                Updates.combine(Updates.set("st", after.state().id()), Updates.set("db", after.databaseId()), Updates.set("p", after.profileId()),
                        Updates.set("k", after.key()), Updates.set("iss", millis(after.issuedAt())), Updates.set("red", millis(after.redeemedAt())),
                        Updates.set("ord", after.order())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (done == null) {
            return Optional.empty();
        }
        if (before.key() != null && !before.key().equals(after.key())) {
            keys.deleteOne(Filters.eq("_id", id(before.workspaceId(), before.poolId(), before.key())));
        }
        return Optional.of(code(done));
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    @Override
    public List<Code> ofProfile(String workspaceId, String databaseId, String profileId, int limit) {
        List<Code> out = new ArrayList<>();
        codes.find(Filters.and(Filters.eq("ws", workspaceId), Filters.eq("db", databaseId), Filters.eq("p", profileId)))
                .sort(Sorts.orderBy(Sorts.descending("iss"), Sorts.ascending("code"))).limit(Math.max(1, Math.min(limit, 1000)))
                .forEach(d -> out.add(code(d)));
        return out;
    }

    @Override
    public Map<State, Long> counts(String workspaceId, String poolId) {
        Map<State, Long> out = new EnumMap<>(State.class);
        for (State s : State.values()) {
            long n = codes.countDocuments(Filters.and(pool(workspaceId, poolId), Filters.eq("st", s.id())));
            if (n > 0) {
                out.put(s, n);
            }
        }
        return out;
    }

    @Override
    public List<Code> page(String workspaceId, String poolId, State state, long afterSeq, int limit) {
        Bson filter = Filters.and(pool(workspaceId, poolId), Filters.gt("seq", afterSeq));
        if (state != null) {
            filter = Filters.and(filter, Filters.eq("st", state.id()));
        }
        List<Code> out = new ArrayList<>();
        codes.find(filter).sort(Sorts.ascending("seq")).limit(Math.max(1, Math.min(limit, 10_000))).forEach(d -> out.add(code(d)));
        return out;
    }

    @Override
    public void deletePool(String workspaceId, String poolId) {
        codes.deleteMany(pool(workspaceId, poolId));
        keys.deleteMany(pool(workspaceId, poolId));
        counters.deleteOne(Filters.eq("_id", id(workspaceId, poolId)));
    }

    private static Code code(Document d) {
        Long iss = d.getLong("iss");
        Long red = d.getLong("red");
        return new Code(d.getString("ws"), d.getString("pool"), d.getString("code"), d.getLong("seq"), State.of(d.getString("st")),
                d.getString("db"), d.getString("p"), d.getString("k"), iss == null ? null : Instant.ofEpochMilli(iss),
                red == null ? null : Instant.ofEpochMilli(red), d.getString("ord"));
    }
}
