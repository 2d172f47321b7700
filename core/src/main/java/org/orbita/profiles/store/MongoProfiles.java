package org.orbita.profiles.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileStore;
import org.orbita.storage.mongo.BsonValues;
import org.orbita.storage.mongo.MongoConnection;

/**
 * Profiles in MongoDB, without relying on multi-document transactions: a profile's keys are
 * separate documents whose {@code _id} is the key itself, so the unique index on {@code _id}
 * decides who owns a value; writes claim new keys first, then write the profile, then release
 * old keys — each step idempotent, so a retried write converges.
 */
public final class MongoProfiles implements ProfileStore {

    private final MongoCollection<Document> profiles;
    private final MongoCollection<Document> keys;

    public MongoProfiles(MongoConnection mongo) {
        this.profiles = mongo.collection("profiles");
        this.keys = mongo.collection("profile_keys");
        profiles.createIndex(Indexes.ascending("db", "id"), new IndexOptions().unique(true));
        keys.createIndex(Indexes.ascending("db", "profileId"));
    }

    /** MongoDB runs the work as it comes; each write here is safe to repeat. */
    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
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
        return Optional.ofNullable(d).map(MongoProfiles::toProfile);
    }

    private static Profile toProfile(Document d) {
        return BsonValues.fromDocument(d.get("doc", Document.class), Profile.class);
    }

    @Override
    public Set<String> existing(String databaseId, java.util.Collection<String> ids) {
        Set<String> found = new HashSet<>();
        List<String> docIds = new ArrayList<>();
        for (String id : new HashSet<>(ids)) {
            docIds.add(profileDocId(databaseId, id));
        }
        String prefix = profileDocId(databaseId, "");
        for (int from = 0; from < docIds.size(); from += 1000) {
            for (Document d : profiles.find(Filters.in("_id", docIds.subList(from, Math.min(docIds.size(), from + 1000))))
                    .projection(new Document("_id", 1))) {
                found.add(d.getString("_id").substring(prefix.length()));
            }
        }
        return found;
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
        return MongoConnection.pageAfter(profiles, Filters.eq("db", databaseId), "id", afterId, limit, MongoProfiles::toProfile);
    }

    @Override
    public List<String> ids(String databaseId, String afterId, int limit) {
        Bson filter = afterId == null ? Filters.eq("db", databaseId) : Filters.and(Filters.eq("db", databaseId), Filters.gt("id", afterId));
        List<String> out = new ArrayList<>();
        for (Document d : profiles.find(filter).sort(Sorts.ascending("id")).projection(new Document("id", 1)).limit(limit)) {
            out.add(d.getString("id"));
        }
        return out;
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

    private void scanMatching(String databaseId, ProfileFilter filter, Predicate<Profile> onMatch) {
        String needle = filter.text().toLowerCase(Locale.ROOT);
        Bson query = Filters.eq("db", databaseId);
        if (filter.hasField()) {
            Object value = filter.value() instanceof BigDecimal d ? new Decimal128(d) : filter.value();
            query = Filters.and(query, Filters.eq("doc.fields." + filter.field(), value));
        }
        for (Document d : profiles.find(query).sort(Sorts.ascending("id"))) {
            Document doc = d.get("doc", Document.class);
            if (needle.isEmpty() || doc.toJson().toLowerCase(Locale.ROOT).contains(needle)) {
                if (!onMatch.test(toProfile(d))) {
                    return;
                }
            }
        }
    }

    @Override
    public void deleteDatabase(String databaseId) {
        profiles.deleteMany(Filters.eq("db", databaseId));
        keys.deleteMany(Filters.eq("db", databaseId));
    }
}
