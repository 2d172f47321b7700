package org.orbita.audiences.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.orbita.audiences.RecentEvents;
import org.orbita.common.Json;
import org.orbita.common.LazyJsonMap;
import org.orbita.events.Event;
import org.orbita.storage.mongo.MongoConnection;

/** Recent behaviour in MongoDB: one document per event, {@code _id} the event id. */
public final class MongoRecentEvents implements RecentEvents {

    private final MongoCollection<Document> recent;

    public MongoRecentEvents(MongoConnection mongo) {
        this.recent = mongo.collection("recent_events");
        recent.createIndex(Indexes.ascending("db", "p", "t"));
        recent.createIndex(Indexes.ascending("t"));
    }

    @Override
    public void addRecent(List<Event> events) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (Event e : events) {
            if (e.profileId() == null) {
                continue;
            }
            Document d = new Document("_id", e.id()).append("db", e.databaseId()).append("p", e.profileId())
                    .append("t", e.time().toEpochMilli()).append("type", e.type()).append("ch", e.channel())
                    .append("props", e.properties().isEmpty() ? null : Json.write(e.properties()));
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", e.id()), d,
                    new ReplaceOptions().upsert(true)));
        }
        if (!writes.isEmpty()) {
            recent.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public Map<String, List<Event>> recentOfRange(String databaseId, String fromId, String toId, Instant since) {
        Map<String, List<Event>> out = new HashMap<>();
        Bson filter = Filters.and(Filters.eq("db", databaseId), Filters.gte("p", fromId), Filters.lte("p", toId),
                Filters.gte("t", since == null ? Long.MIN_VALUE : since.toEpochMilli()));
        for (Document d : recent.find(filter).sort(Sorts.ascending("p", "t", "_id"))) {
            String props = d.getString("props");
            out.computeIfAbsent(d.getString("p"), k -> new ArrayList<>()).add(new Event(d.getString("_id"), databaseId, d.getString("p"),
                    d.getString("type"), d.getString("ch"), Instant.ofEpochMilli(d.getLong("t")), props == null ? null : new LazyJsonMap(props)));
        }
        return out;
    }

    @Override
    public long pruneRecent(Instant before) {
        return recent.deleteMany(Filters.lt("t", before.toEpochMilli())).getDeletedCount();
    }

    @Override
    public void deleteDatabase(String databaseId) {
        recent.deleteMany(Filters.eq("db", databaseId));
    }
}
