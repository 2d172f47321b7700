package org.orbita.audit.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditQuery;
import org.orbita.audit.AuditStore;
import org.orbita.storage.mongo.MongoConnection;

/**
 * The audit log in MongoDB: one document per line, its sequence the {@code _id}; an append that
 * finds its number taken (another node appended first) reads the new last line and tries again,
 * so the chain never forks.
 */
public final class MongoAuditStore implements AuditStore {

    private static final int ATTEMPTS = 100;

    private final MongoCollection<Document> lines;

    public MongoAuditStore(MongoConnection mongo) {
        this.lines = mongo.collection("audit_log");
        lines.createIndex(Indexes.ascending("ws", "_id"));
        lines.createIndex(Indexes.ascending("at"));
        lines.createIndex(Indexes.ascending("objectId", "_id"));
    }

    @Override
    public AuditEntry append(Function<Optional<AuditEntry>, AuditEntry> next) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document last = lines.find().sort(Sorts.descending("_id")).limit(1).first();
            AuditEntry e = next.apply(Optional.ofNullable(last).map(MongoAuditStore::entry));
            if (MongoConnection.insertNew(lines, document(e))) {
                return e;
            }
        }
        throw new IllegalStateException("The audit log line could not be appended after " + ATTEMPTS + " attempts: other nodes kept appending first");
    }

    private static Document document(AuditEntry e) {
        return new Document("_id", e.seq()).append("at", e.at().toEpochMilli()).append("ws", e.workspaceId())
                .append("actorKind", e.actorKind()).append("actorId", e.actorId()).append("actorName", e.actorName())
                .append("address", e.address()).append("agent", e.agent()).append("action", e.action())
                .append("objectKind", e.objectKind()).append("objectId", e.objectId()).append("outcome", e.outcome())
                .append("detail", e.detail()).append("before", e.before()).append("after", e.after())
                .append("previous", e.previous()).append("hash", e.hash());
    }

    private static AuditEntry entry(Document d) {
        return new AuditEntry(((Number) d.get("_id")).longValue(), Instant.ofEpochMilli(((Number) d.get("at")).longValue()), d.getString("ws"),
                d.getString("actorKind"), d.getString("actorId"), d.getString("actorName"), d.getString("address"), d.getString("agent"),
                d.getString("action"), d.getString("objectKind"), d.getString("objectId"), d.getString("outcome"), d.getString("detail"),
                d.getString("before"), d.getString("after"), d.getString("previous"), d.getString("hash"));
    }

    @Override
    public List<AuditEntry> find(AuditQuery q, int limit) {
        List<Bson> where = new ArrayList<>();
        if (q.workspaceId() != null) {
            where.add(Filters.eq("ws", q.workspaceId()));
        }
        if (q.beforeSeq() > 0) {
            where.add(Filters.lt("_id", q.beforeSeq()));
        }
        if (q.from() != null) {
            where.add(Filters.gte("at", q.from().toEpochMilli()));
        }
        if (q.to() != null) {
            where.add(Filters.lt("at", q.to().toEpochMilli()));
        }
        if (q.actor() != null) {
            where.add(Filters.or(Filters.eq("actorId", q.actor()),
                    Filters.regex("actorName", Pattern.compile(Pattern.quote(q.actor()), Pattern.CASE_INSENSITIVE))));
        }
        if (q.action() != null) {
            where.add(Filters.or(Filters.eq("action", q.action()), Filters.regex("action", "^" + Pattern.quote(q.action() + ":"))));
        }
        if (q.objectKind() != null) {
            where.add(Filters.eq("objectKind", q.objectKind()));
        }
        if (q.objectId() != null) {
            where.add(Filters.eq("objectId", q.objectId()));
        }
        if (q.outcome() != null) {
            where.add(Filters.eq("outcome", q.outcome()));
        }
        List<AuditEntry> out = new ArrayList<>();
        for (Document d : lines.find(where.isEmpty() ? new Document() : Filters.and(where)).sort(Sorts.descending("_id")).limit(limit)) {
            out.add(entry(d));
        }
        return out;
    }

    @Override
    public List<AuditEntry> after(long afterSeq, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        for (Document d : lines.find(Filters.gt("_id", afterSeq)).sort(Sorts.ascending("_id")).limit(limit)) {
            out.add(entry(d));
        }
        return out;
    }

    @Override
    public long prune(Instant before) {
        Document last = lines.find().sort(Sorts.descending("_id")).limit(1).first();
        if (last == null) {
            return 0;
        }
        return lines.deleteMany(Filters.and(Filters.lt("at", before.toEpochMilli()), Filters.lt("_id", last.get("_id")))).getDeletedCount();
    }
}
