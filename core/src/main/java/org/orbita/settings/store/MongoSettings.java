package org.orbita.settings.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.bson.Document;
import org.orbita.common.Json;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.mongo.BsonValues;
import org.orbita.storage.mongo.MongoConnection;

/** Settings documents in MongoDB: a collection {@code settings_<name>} per kind, one document per id. */
public final class MongoSettings implements SettingsStore {

    private final MongoConnection mongo;

    public MongoSettings(MongoConnection mongo) {
        this.mongo = mongo;
    }

    // ---- settings -----------------------------------------------------------------

    private MongoCollection<Document> settings(String collection) {
        if (!Pattern.matches("[a-z_]{1,40}", collection)) {
            throw new IllegalArgumentException("bad settings collection name: " + collection);
        }
        return mongo.collection("settings_" + collection);
    }

    @Override
    public void put(String collection, String id, String json) {
        Document doc = new Document("_id", id).append("doc", BsonValues.toDocument(Json.readMap(json)));
        settings(collection).replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
    }

    /**
     * Optimistic: the document is replaced only if it is still the one read (or inserted only
     * if there still is none); otherwise it is read again and the change applied anew.
     */
    @Override
    public String update(String collection, String id, UnaryOperator<String> change) {
        MongoCollection<Document> c = settings(collection);
        while (true) {
            Document stored = c.find(Filters.eq("_id", id)).first();
            String json = change.apply(stored == null ? null : settingsJson(stored));
            if (json == null) {
                return null;
            }
            Document doc = new Document("_id", id).append("doc", BsonValues.toDocument(Json.readMap(json)));
            if (stored == null) {
                try {
                    c.insertOne(doc);
                    return json;
                } catch (MongoWriteException e) {
                    if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                }
            } else if (c.replaceOne(Filters.and(Filters.eq("_id", id), Filters.eq("doc", stored.get("doc"))), doc).getMatchedCount() == 1) {
                return json;
            }
        }
    }

    @Override
    public Optional<String> get(String collection, String id) {
        Document d = settings(collection).find(Filters.eq("_id", id)).first();
        return Optional.ofNullable(d).map(MongoSettings::settingsJson);
    }

    private static String settingsJson(Document d) {
        return Json.write(BsonValues.fromBson(d.get("doc", Document.class)));
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

}
