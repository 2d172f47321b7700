package org.orbita.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditQuery;
import org.orbita.audit.AuditStore;
import org.orbita.storage.sqlite.SqliteConnections;

/** The audit log in the embedded SQLite file: one row per line, numbered by its sequence; an append reads the last line and writes the next under the file's write lock. */
public final class SqliteAuditStore implements AuditStore {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS audit_log (seq INTEGER NOT NULL PRIMARY KEY, at_ms INTEGER NOT NULL, ws TEXT, actor_kind TEXT,"
                    + " actor_id TEXT, actor_name TEXT, address TEXT, agent TEXT, action TEXT, object_kind TEXT, object_id TEXT, outcome TEXT,"
                    + " detail TEXT, before_digest TEXT, after_digest TEXT, previous TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_log_ws ON audit_log (ws, seq)",
            "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at_ms)",
            "CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log (object_id, seq)");

    private static final String COLUMNS = "seq, at_ms, ws, actor_kind, actor_id, actor_name, address, agent, action, object_kind, object_id,"
            + " outcome, detail, before_digest, after_digest, previous, hash";

    private final SqliteConnections sqlite;

    public SqliteAuditStore(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    @Override
    public AuditEntry append(Function<Optional<AuditEntry>, AuditEntry> next) {
        AuditEntry[] written = new AuditEntry[1];
        sqlite.write(c -> {
            Optional<AuditEntry> last;
            try (ResultSet rs = sqlite.statement(c, "SELECT " + COLUMNS + " FROM audit_log ORDER BY seq DESC LIMIT 1").executeQuery()) {
                last = rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
            AuditEntry e = next.apply(last);
            PreparedStatement ps = sqlite.statement(c, "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setLong(1, e.seq());
            ps.setLong(2, e.at().toEpochMilli());
            String[] texts = {e.workspaceId(), e.actorKind(), e.actorId(), e.actorName(), e.address(), e.agent(), e.action(), e.objectKind(),
                    e.objectId(), e.outcome(), e.detail(), e.before(), e.after(), e.previous(), e.hash()};
            for (int i = 0; i < texts.length; i++) {
                ps.setString(3 + i, texts[i]);
            }
            ps.executeUpdate();
            written[0] = e;
        });
        return written[0];
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17));
    }

    @Override
    public List<AuditEntry> find(AuditQuery q, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.workspaceId() != null) {
            sql.append(" AND ws = ?");
            args.add(q.workspaceId());
        }
        if (q.beforeSeq() > 0) {
            sql.append(" AND seq < ?");
            args.add(q.beforeSeq());
        }
        if (q.from() != null) {
            sql.append(" AND at_ms >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND at_ms < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.actor() != null) {
            sql.append(" AND (actor_id = ? OR instr(lower(actor_name), ?) > 0)");
            args.add(q.actor());
            args.add(q.actor().toLowerCase(Locale.ROOT));
        }
        if (q.action() != null) {
            sql.append(" AND (action = ? OR substr(action, 1, ?) = ?)");
            args.add(q.action());
            args.add(q.action().length() + 1);
            args.add(q.action() + ":");
        }
        for (String[] exact : new String[][] {{"object_kind", q.objectKind()}, {"object_id", q.objectId()}, {"outcome", q.outcome()}}) {
            if (exact[1] != null) {
                sql.append(" AND ").append(exact[0]).append(" = ?");
                args.add(exact[1]);
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, sql.toString());
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<AuditEntry> after(long afterSeq, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + COLUMNS + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?");
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        });
    }

    @Override
    public long prune(Instant before) {
        long[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM audit_log WHERE at_ms < ? AND seq < (SELECT max(seq) FROM audit_log)");
            ps.setLong(1, before.toEpochMilli());
            n[0] = ps.executeUpdate();
        });
        return n[0];
    }
}
