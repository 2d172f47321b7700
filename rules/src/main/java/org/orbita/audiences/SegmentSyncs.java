package org.orbita.audiences;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/** Syncs of segment members into external SQL tables: definitions, checks and runs. */
public final class SegmentSyncs {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int BATCH = 1000;

    private final Documents<SegmentSync> syncs;
    private final Segments segments;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final Predicate<String> validCron;
    private final GuardedJdbc jdbc;
    private final Clock clock;
    private volatile Schedule schedule = new Schedule() {
        public void schedule(SegmentSync s) {}

        public void unschedule(String id) {}
    };

    /** What runs syncs on their cron; told of every sync made or deleted. */
    public interface Schedule {
        void schedule(SegmentSync s);

        void unschedule(String id);
    }

    public void setSchedule(Schedule schedule) {
        this.schedule = schedule;
    }

    public SegmentSyncs(SettingsStore settings, Segments segments, ClientDatabases databases, ProfileStore profiles,
            Predicate<String> validCron, GuardedJdbc jdbc, Clock clock) {
        this.syncs = new Documents<>(settings, "segment_syncs", SegmentSync.class, SegmentSync::id);
        this.jdbc = jdbc;
        this.segments = segments;
        this.databases = databases;
        this.profiles = profiles;
        this.validCron = validCron;
        this.clock = clock;
    }

    public SegmentSync create(String workspaceId, String segmentId, SegmentSync draft) {
        Segment segment = segments.find(segmentId).filter(s -> s.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("segment", segmentId));
        ClientDatabase db = databases.get(segment.databaseId());
        List<FieldError> errors = new ArrayList<>();
        errors.addAll(GuardedJdbc.problems("jdbcUrl", draft.jdbcUrl()));
        if (errors.isEmpty()) {
            jdbc.refusal("jdbcUrl", draft.jdbcUrl()).ifPresent(errors::add);
        }
        if (draft.table() == null || !IDENTIFIER.matcher(draft.table()).matches()) {
            errors.add(FieldError.of("table", draft.table(), "must be 1-63 characters: a-z or _ first, then a-z, 0-9, _"));
        }
        if (draft.fields().isEmpty() || draft.fields().size() > 100) {
            errors.add(FieldError.of("fields", null, "choose 1 to 100 fields of the database to copy"));
        }
        for (int i = 0; i < draft.fields().size(); i++) {
            String f = draft.fields().get(i);
            if (db.schema().field(f).isEmpty()) {
                errors.add(FieldError.of("fields[" + i + "]", f, "no such field in the database schema"));
            } else if (!IDENTIFIER.matcher(f).matches() || f.equals("profile_id") || f.equals("row_hash") || f.equals("synced_at")) {
                errors.add(FieldError.of("fields[" + i + "]", f, "cannot be a column name here"));
            }
        }
        String mode = draft.mode() == null ? "delta" : draft.mode();
        if (!mode.equals("full") && !mode.equals("delta")) {
            errors.add(FieldError.of("mode", draft.mode(), "must be full or delta"));
        }
        if (draft.cron() != null && !validCron.test(draft.cron())) {
            errors.add(FieldError.of("cron", draft.cron(), "must be a cron expression of 6 fields (second minute hour day month weekday), UTC"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        SegmentSync made = syncs.put(new SegmentSync(Ids.next(), workspaceId, segmentId, draft.jdbcUrl(), draft.user(), draft.password(),
                draft.table(), draft.fields(), mode, draft.cron(), true, null, null));
        schedule.schedule(made);
        return made;
    }

    public Optional<SegmentSync> find(String id) {
        return syncs.get(id);
    }

    public List<SegmentSync> list() {
        return syncs.list();
    }

    public List<SegmentSync> ofSegment(String segmentId) {
        return syncs.list().stream().filter(s -> s.segmentId().equals(segmentId)).toList();
    }

    public boolean delete(String id) {
        schedule.unschedule(id);
        return syncs.delete(id);
    }

    /** What a run did. */
    public record Result(long members, long written, long deleted, long unchanged, long millis) {}

    /**
     * Runs a sync now: members are read a page at a time (memory stays flat); the target
     * table is created when missing; everything is written in one transaction.
     */
    public synchronized Result run(String id) {
        SegmentSync s = syncs.get(id).orElseThrow(() -> new NotFoundException("segment sync", id));
        Segment segment = segments.get(s.segmentId());
        long started = System.currentTimeMillis();
        Properties props = new Properties();
        if (s.user() != null) {
            props.setProperty("user", s.user());
        }
        if (s.password() != null) {
            props.setProperty("password", s.password());
        }
        boolean postgres = s.jdbcUrl().startsWith("jdbc:postgresql:");
        long[] counts = new long[4];
        try (Connection write = jdbc.open(s.jdbcUrl(), props);
                Connection read = jdbc.open(s.jdbcUrl(), props)) {
            createTable(write, s);
            write.setAutoCommit(false);
            read.setAutoCommit(false);
            read.setReadOnly(true);
            if (s.mode().equals("full")) {
                try (Statement st = write.createStatement()) {
                    st.executeUpdate("DELETE FROM " + s.table());
                }
            }
            Existing existing = s.mode().equals("full") ? Existing.NONE : new Existing(read, s, postgres);
            try (PreparedStatement upsert = write.prepareStatement(upsertSql(s, postgres));
                    PreparedStatement delete = write.prepareStatement("DELETE FROM " + s.table() + " WHERE profile_id = ?")) {
                Timestamp now = Timestamp.from(clock.instant());
                int pending = 0;
                String after = null;
                while (true) {
                    List<String> page = segments.members(segment.id(), after, BATCH);
                    for (String pid : page) {
                        Optional<Profile> p = profiles.find(segment.databaseId(), pid);
                        if (p.isEmpty()) {
                            continue;
                        }
                        counts[0]++;
                        List<String> values = s.fields().stream().map(f -> cell(p.get().field(f))).toList();
                        String hash = hash(values);
                        pending += existing.deleteBefore(pid, delete, counts);
                        String old = existing.hashOf(pid);
                        if (hash.equals(old)) {
                            counts[3]++;
                            continue;
                        }
                        upsert.setString(1, pid);
                        for (int i = 0; i < values.size(); i++) {
                            upsert.setString(i + 2, values.get(i));
                        }
                        upsert.setString(values.size() + 2, hash);
                        upsert.setTimestamp(values.size() + 3, now);
                        upsert.addBatch();
                        counts[1]++;
                        if (++pending >= BATCH) {
                            upsert.executeBatch();
                            delete.executeBatch();
                            pending = 0;
                        }
                    }
                    if (page.size() < BATCH) {
                        break;
                    }
                    after = page.get(page.size() - 1);
                }
                existing.deleteRest(delete, counts);
                upsert.executeBatch();
                delete.executeBatch();
            }
            existing.close();
            write.commit();
            read.rollback();
        } catch (SQLException e) {
            syncs.put(s.ran(clock.instant(), Map.of("error", e.getMessage())));
            throw new InvalidInputException("jdbcUrl", s.jdbcUrl(), "the sync failed: " + e.getMessage());
        } catch (SecurityException | IllegalArgumentException | UnknownHostException e) {
            String why = "may not be reached: " + e.getMessage();
            syncs.put(s.ran(clock.instant(), Map.of("error", why)));
            throw new InvalidInputException("jdbcUrl", s.jdbcUrl(), why);
        }
        Result r = new Result(counts[0], counts[1], counts[2], counts[3], System.currentTimeMillis() - started);
        Map<String, Object> result = new LinkedHashMap<>(Json.MAPPER.convertValue(r, Map.class));
        syncs.put(s.ran(clock.instant(), result));
        return r;
    }

    private static void createTable(Connection c, SegmentSync s) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + s.table() + " (profile_id VARCHAR(64) PRIMARY KEY");
        for (String f : s.fields()) {
            ddl.append(", ").append(f).append(" TEXT");
        }
        ddl.append(", row_hash VARCHAR(64) NOT NULL, synced_at TIMESTAMP NOT NULL)");
        try (Statement st = c.createStatement()) {
            st.executeUpdate(ddl.toString());
        }
    }

    private static String upsertSql(SegmentSync s, boolean postgres) {
        List<String> columns = new ArrayList<>(List.of("profile_id"));
        columns.addAll(s.fields());
        columns.addAll(List.of("row_hash", "synced_at"));
        String insert = "INSERT INTO " + s.table() + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        List<String> updates = columns.subList(1, columns.size()).stream()
                .map(c -> postgres ? c + " = EXCLUDED." + c : c + " = VALUES(" + c + ")").toList();
        return insert + (postgres ? " ON CONFLICT (profile_id) DO UPDATE SET " : " ON DUPLICATE KEY UPDATE ") + String.join(", ", updates);
    }

    static String cell(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return v instanceof Number || v instanceof Boolean ? v.toString() : Json.write(v);
    }

    private static String hash(List<String> values) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String v : values) {
                md.update(v == null ? new byte[] {0} : (v + "\u0001").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The target's rows in profile id order (byte order, like Orbita's ids), walked alongside
     * the members: rows whose profile is no longer a member are deleted on the way.
     */
    private static class Existing implements AutoCloseable {
        static final Existing NONE = new Existing();
        private final ResultSet rows;
        private final Statement statement;
        private String id;
        private String hash;

        private Existing() {
            rows = null;
            statement = null;
        }

        Existing(Connection c, SegmentSync s, boolean postgres) throws SQLException {
            statement = c.createStatement();
            statement.setFetchSize(BATCH);
            rows = statement.executeQuery("SELECT profile_id, row_hash FROM " + s.table() + " ORDER BY "
                    + (postgres ? "profile_id COLLATE \"C\"" : "BINARY profile_id"));
            advance();
        }

        private void advance() throws SQLException {
            if (rows != null && rows.next()) {
                id = rows.getString(1);
                hash = rows.getString(2);
            } else {
                id = null;
                hash = null;
            }
        }

        /** Deletes target rows of profiles before {@code pid} (they left); returns how many were queued. */
        int deleteBefore(String pid, PreparedStatement delete, long[] counts) throws SQLException {
            int n = 0;
            while (id != null && id.compareTo(pid) < 0) {
                delete.setString(1, id);
                delete.addBatch();
                counts[2]++;
                n++;
                advance();
            }
            return n;
        }

        String hashOf(String pid) throws SQLException {
            if (id != null && id.equals(pid)) {
                String h = hash;
                advance();
                return h;
            }
            return null;
        }

        void deleteRest(PreparedStatement delete, long[] counts) throws SQLException {
            while (id != null) {
                delete.setString(1, id);
                delete.addBatch();
                counts[2]++;
                advance();
            }
        }

        @Override
        public void close() throws SQLException {
            if (statement != null) {
                statement.close();
            }
        }
    }
}
