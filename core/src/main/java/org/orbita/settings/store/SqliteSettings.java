package org.orbita.settings.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.orbita.settings.SettingsStore;
import org.orbita.storage.sqlite.SqliteConnections;

/** Settings documents in the embedded SQLite file: one row per collection and id. */
public final class SqliteSettings implements SettingsStore {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS documents (collection TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
                    + " PRIMARY KEY (collection, id)) WITHOUT ROWID");

    private final SqliteConnections sqlite;

    public SqliteSettings(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    @Override
    public void put(String collection, String id, String json) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?)"
                    + " ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc");
            ps.setString(1, collection);
            ps.setString(2, id);
            ps.setString(3, json);
            ps.executeUpdate();
        });
    }

    @Override
    public String update(String collection, String id, UnaryOperator<String> change) {
        // the write lock is taken first and held across the read: the order every writer takes
        return sqlite.inTransaction(() -> {
            String json = change.apply(get(collection, id).orElse(null));
            if (json != null) {
                put(collection, id, json);
            }
            return json;
        });
    }

    @Override
    public Optional<String> get(String collection, String id) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT doc FROM documents WHERE collection = ? AND id = ?");
            ps.setString(1, collection);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public List<String> list(String collection) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT doc FROM documents WHERE collection = ? ORDER BY id");
            ps.setString(1, collection);
            List<String> docs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    docs.add(rs.getString(1));
                }
            }
            return docs;
        });
    }

    @Override
    public boolean remove(String collection, String id) {
        boolean[] deleted = {false};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM documents WHERE collection = ? AND id = ?");
            ps.setString(1, collection);
            ps.setString(2, id);
            deleted[0] = ps.executeUpdate() > 0;
        });
        return deleted[0];
    }
}
