package org.orbita.events.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.orbita.common.Json;
import org.orbita.events.Event;
import org.orbita.events.EventAggregate;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.orbita.storage.StorageException;

/**
 * The embedded event log: DuckDB in-process. Writes go through DuckDB's appender (JDBC
 * batches are two orders of magnitude slower); one process owns the file.
 */
public final class DuckDbEventLog implements EventLog {

    private final DuckDBConnection connection;
    private final ReentrantLock writeLock = new ReentrantLock();

    public DuckDbEventLog(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            this.connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), streaming());
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS events (id VARCHAR, database_id VARCHAR, profile_id VARCHAR,"
                        + " type VARCHAR, channel VARCHAR, ts_ms BIGINT, properties VARCHAR)");
            }
        } catch (Exception e) {
            throw new StorageException("cannot open the embedded event log at " + file, e);
        }
    }

    /** Results stream from DuckDB instead of being materialized whole (scans of a large log). */
    private static Properties streaming() {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        return p;
    }

    /** Rows DuckDB's appender gathers before it appends them to the table (its vector size). */
    static final int APPENDER_CHUNK = 2048;

    /**
     * One transaction per call. DuckDB's appender commits each full chunk of
     * {@value #APPENDER_CHUNK} rows on its own, so a larger batch cut short (an error,
     * {@code kill -9}) would be found partly stored: it gets an explicit transaction. A batch
     * that fits one chunk is one commit already, and skips the two statements (6 % of ingest
     * with 1,000-event batches, docs/BENCHMARKS.md).
     */
    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        boolean explicit = events.size() > APPENDER_CHUNK;
        // every value is made first: a row that cannot be written fails here, before the appender (whose close flushes) has any
        List<String> properties = new ArrayList<>(events.size());
        for (Event e : events) {
            properties.add(Json.write(e.properties()));
        }
        writeLock.lock();
        try {
            if (explicit) {
                sql("BEGIN TRANSACTION");
            }
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (int i = 0; i < events.size(); i++) {
                    Event e = events.get(i);
                    appender.beginRow();
                    appender.append(e.id());
                    appender.append(e.databaseId());
                    nullable(appender, e.profileId());
                    appender.append(e.type());
                    nullable(appender, e.channel());
                    appender.append(e.time().toEpochMilli());
                    appender.append(properties.get(i));
                    appender.endRow();
                }
                appender.flush();
            }
            if (explicit) {
                sql("COMMIT");
            }
        } catch (SQLException | RuntimeException e) {
            if (explicit) {
                rollback(e);
            }
            throw new StorageException("cannot append " + events.size() + " events (none was stored)", e);
        } finally {
            writeLock.unlock();
        }
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    private void rollback(Exception cause) {
        try {
            sql("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void nullable(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    @Override
    public List<Event> history(HistoryQuery query) {
        EventRows.Sql sql = EventRows.historySql(query);
        try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                ps.setObject(i + 1, sql.params().get(i));
            }
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(EventRows.event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new StorageException("cannot read history", e);
        }
    }

    @Override
    public void scan(String databaseId, Instant since, Set<String> types, Consumer<Event> action) {
        EventRows.Sql sql = EventRows.scanSql(databaseId, since, types);
        try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                ps.setObject(i + 1, sql.params().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    action.accept(EventRows.event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot scan events", e);
        }
    }

    @Override
    public Map<String, long[]> tally(String databaseId, Map<String, Object> properties, Set<String> types,
                                               boolean byChannel) {
        Map<String, long[]> out = new TreeMap<>();
        if (types.isEmpty()) {
            return out;
        }
        String key = byChannel ? "coalesce(channel, '') || '/' || type" : "type";
        StringBuilder sql = new StringBuilder("SELECT " + key + " AS k, count(*), count(DISTINCT profile_id) FROM events WHERE database_id = ? AND type IN (")
                .append(String.join(", ", Collections.nCopies(types.size(), "?"))).append(")");
        List<String> patterns = new ArrayList<>();
        properties.forEach((k, v) -> {
            patterns.add(EventLog.propertyPattern(k, v));
            sql.append(" AND properties LIKE ? ESCAPE '\\'");
        });
        sql.append(" GROUP BY k");
        try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, databaseId);
            for (String t : types) {
                ps.setString(i++, t);
            }
            for (String p : patterns) {
                ps.setString(i++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot tally events", e);
        }
    }

    @Override
    public List<EventAggregate.Row> aggregate(EventAggregate aggregate) {
        EventRows.Sql sql = EventRows.aggregateSql(aggregate, EventRows.Dialect.DUCKDB);
        try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                ps.setObject(i + 1, sql.params().get(i));
            }
            List<EventAggregate.Row> rows = new ArrayList<>();
            int columns = aggregate.groupBy().size() + 4;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] cells = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        cells[i] = rs.getString(i + 1);
                    }
                    rows.add(EventRows.aggregateRow(aggregate, cells));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StorageException("cannot aggregate events", e);
        }
    }

    @Override
    public Set<String> existing(String databaseId, Collection<String> ids) {
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            String sql = "SELECT id FROM events WHERE database_id = ? AND id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (Connection c = connection.duplicate(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, databaseId);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new StorageException("cannot look events up by id", e);
            }
        }
        return found;
    }

    @Override
    public long count(String databaseId) {
        try (Connection c = connection.duplicate();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE database_id = ?")) {
            ps.setString(1, databaseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot count events", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StorageException("cannot close the event log", e);
        }
    }
}
