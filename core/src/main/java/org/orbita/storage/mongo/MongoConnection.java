package org.orbita.storage.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One MongoDB database through the official driver, shared by every capability's production
 * store; each store owns its collections and creates its indexes. MongoDB runs writes as they
 * come (no multi-document transactions are relied on): each store's writes are safe to repeat.
 */
public final class MongoConnection implements AutoCloseable {

    private final MongoClient client;
    private final MongoDatabase database;

    public MongoConnection(String uri, String databaseName) {
        this.client = MongoClients.create(uri);
        this.database = client.getDatabase(databaseName);
    }

    public MongoCollection<Document> collection(String name) {
        return database.getCollection(name);
    }

    /** Inserts a document unless one with its {@code _id} exists; whether it was inserted. */
    public static boolean insertNew(MongoCollection<Document> c, Document d) {
        try {
            c.insertOne(d);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Documents matching {@code base} with {@code key} after {@code after} (null: from the start), in key order. */
    public static <T> List<T> pageAfter(MongoCollection<Document> c, Bson base, String key, String after, int limit,
            Function<Document, T> map) {
        Bson filter = after == null ? base : Filters.and(base, Filters.gt(key, after));
        List<T> page = new ArrayList<>();
        for (Document d : c.find(filter).sort(Sorts.ascending(key)).limit(limit)) {
            page.add(map.apply(d));
        }
        return page;
    }

    @Override
    public void close() {
        client.close();
    }
}
