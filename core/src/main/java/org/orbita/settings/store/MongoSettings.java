package org.orbita.settings.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
