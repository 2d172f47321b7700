package org.orbita.sites.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.orbita.sites.Visitors;
import org.orbita.storage.mongo.MongoConnection;

/**
 * Visitors' merges in MongoDB: every merge in {@code site_merges}; the one in force per visitor
 * also in {@code site_links} under {@code _id} = database and visitor, so two nodes linking one
 * visitor at once cannot both win (the second insert is a duplicate key).
 */
public final class MongoVisitors implements Visitors {

    private final MongoCollection<Document> merges;
    private final MongoCollection<Document> links;
    private final MongoCollection<Document> conflicts;

    public MongoVisitors(MongoConnection mongo) {
        this.merges = mongo.collection("site_merges");
        this.links = mongo.collection("site_links");
        this.conflicts = mongo.collection("site_conflicts");
        merges.createIndex(Indexes.ascending("db", "at"));
        links.createIndex(Indexes.ascending("db", "p"));
        conflicts.createIndex(Indexes.ascending("db", "at"));
    }

    private static String linkId(String databaseId, String visitorId) {
        return databaseId + '\u0000' + visitorId;
    }

    @Override
    public Optional<Merge> linkOf(String databaseId, String visitorId) {
        Document link = links.find(Filters.eq("_id", linkId(databaseId, visitorId))).first();
        return link == null ? Optional.empty() : merge(databaseId, link.getString("m"));
    }

    @Override
    public boolean link(Merge m) {
        if (!MongoConnection.insertNew(links, new Document("_id", linkId(m.databaseId(), m.visitorId())).append("db", m.databaseId())
                .append("p", m.profileId()).append("m", m.id()))) {
            return false;
        }
        merges.insertOne(new Document("_id", m.id()).append("db", m.databaseId()).append("v", m.visitorId()).append("p", m.profileId())
                .append("site", m.siteId()).append("how", m.how()).append("at", m.at().toEpochMilli()).append("rev", null));
        return true;
    }

    @Override
    public List<Merge> linksOf(String databaseId, String profileId) {
        List<String> ids = new ArrayList<>();
        links.find(Filters.and(Filters.eq("db", databaseId), Filters.eq("p", profileId))).forEach(d -> ids.add(d.getString("m")));
        List<Merge> out = new ArrayList<>();
        merges.find(Filters.in("_id", ids)).sort(Sorts.ascending("at")).forEach(d -> out.add(merge(d)));
        return out;
    }

    @Override
    public List<Merge> merges(String databaseId, int limit) {
        List<Merge> out = new ArrayList<>();
        merges.find(Filters.eq("db", databaseId)).sort(Sorts.descending("at", "_id")).limit(Math.max(1, Math.min(limit, 1000)))
                .forEach(d -> out.add(merge(d)));
        return out;
    }

    @Override
    public Optional<Merge> merge(String databaseId, String mergeId) {
        Document d = merges.find(Filters.and(Filters.eq("_id", mergeId), Filters.eq("db", databaseId))).first();
        return d == null ? Optional.empty() : Optional.of(merge(d));
    }

    @Override
    public Optional<Merge> reverse(String databaseId, String mergeId, Instant at) {
        Document done = merges.findOneAndUpdate(Filters.and(Filters.eq("_id", mergeId), Filters.eq("db", databaseId), Filters.eq("rev", null)),
                Updates.set("rev", at.toEpochMilli()));
        if (done == null) {
            return Optional.empty();
        }
        links.deleteOne(Filters.and(Filters.eq("_id", linkId(databaseId, done.getString("v"))), Filters.eq("m", mergeId)));
        return merge(databaseId, mergeId);
    }

    @Override
    public void conflict(Conflict k) {
        conflicts.replaceOne(Filters.eq("_id", k.id()), new Document("_id", k.id()).append("db", k.databaseId()).append("v", k.visitorId())
                .append("site", k.siteId()).append("linked", k.linkedProfile()).append("claimed", k.claimedProfile()).append("how", k.how())
                .append("at", k.at().toEpochMilli()), new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    @Override
    public List<Conflict> conflicts(String databaseId, int limit) {
        List<Conflict> out = new ArrayList<>();
        conflicts.find(Filters.eq("db", databaseId)).sort(Sorts.descending("at", "_id")).limit(Math.max(1, Math.min(limit, 1000)))
                .forEach(d -> out.add(new Conflict(d.getString("_id"), d.getString("db"), d.getString("v"), d.getString("site"), d.getString("linked"),
                        d.getString("claimed"), d.getString("how"), Instant.ofEpochMilli(d.getLong("at")))));
        return out;
    }

    @Override
    public void deleteDatabase(String databaseId) {
        merges.deleteMany(Filters.eq("db", databaseId));
        links.deleteMany(Filters.eq("db", databaseId));
        conflicts.deleteMany(Filters.eq("db", databaseId));
    }

    private static Merge merge(Document d) {
        Long rev = d.getLong("rev");
        return new Merge(d.getString("_id"), d.getString("db"), d.getString("v"), d.getString("p"), d.getString("site"), d.getString("how"),
                Instant.ofEpochMilli(d.getLong("at")), rev == null ? null : Instant.ofEpochMilli(rev));
    }
}
