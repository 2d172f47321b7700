package org.orbita.audiences.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.orbita.audiences.SegmentMembers;
import org.orbita.storage.mongo.MongoConnection;

/** Segment memberships in MongoDB: one document per membership, {@code _id} = segment NUL profile. */
public final class MongoSegmentMembers implements SegmentMembers {

    private final MongoCollection<Document> members;

    public MongoSegmentMembers(MongoConnection mongo) {
        this.members = mongo.collection("segment_members");
        members.createIndex(Indexes.ascending("db", "p"));
        members.createIndex(Indexes.ascending("s", "p"));
    }

    @Override
    public List<MembershipChange> applyMemberships(String databaseId, List<MembershipChange> changes) {
        List<MembershipChange> applied = new ArrayList<>();
        for (MembershipChange m : changes) {
            String id = m.segmentId() + '\u0000' + m.profileId();
            if (m.member()) {
                var result = members.updateOne(Filters.eq("_id", id),
                        new Document("$setOnInsert", new Document("s", m.segmentId()).append("p", m.profileId()).append("db", databaseId)),
                        new UpdateOptions().upsert(true));
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
        Set<String> out = new HashSet<>();
        for (Document d : members.find(Filters.and(Filters.eq("db", databaseId), Filters.eq("p", profileId)))) {
            out.add(d.getString("s"));
        }
        return out;
    }

    @Override
    public Map<String, Set<String>> segmentsOfRange(String databaseId, String fromId, String toId) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Document d : members.find(Filters.and(Filters.eq("db", databaseId), Filters.gte("p", fromId), Filters.lte("p", toId)))) {
            out.computeIfAbsent(d.getString("p"), k -> new HashSet<>()).add(d.getString("s"));
        }
        return out;
    }

    @Override
    public long countMembers(String segmentId) {
        return members.countDocuments(Filters.eq("s", segmentId));
    }

    @Override
    public List<String> members(String segmentId, String afterProfileId, int limit) {
        return MongoConnection.pageAfter(members, Filters.eq("s", segmentId), "p", afterProfileId, limit, d -> d.getString("p"));
    }

    @Override
    public void deleteMembers(Collection<String> segmentIds) {
        members.deleteMany(Filters.in("s", segmentIds));
    }

    @Override
    public void deleteDatabase(String databaseId) {
        members.deleteMany(Filters.eq("db", databaseId));
    }
}
