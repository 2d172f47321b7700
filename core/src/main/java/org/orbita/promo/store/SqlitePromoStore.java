package org.orbita.promo.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.promo.PromoStore;
import org.orbita.storage.sqlite.SqliteConnections;

/**
 * Promo codes in SQLite: one row per code, the available ones found by {@code (pool, state, seq)},
 * at most one code per issue key (a partial unique index). Issues of one batch run in one write
 * transaction, so a claim and the code it takes commit together.
 */
public final class SqlitePromoStore implements PromoStore {

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS promo_codes (ws TEXT NOT NULL, pool TEXT NOT NULL, code TEXT NOT NULL, seq INTEGER NOT NULL,"
                    + " state TEXT NOT NULL, db TEXT, profile_id TEXT, issue_key TEXT, issued_ms INTEGER, redeemed_ms INTEGER, order_id TEXT,"
                    + " PRIMARY KEY (ws, pool, seq)) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS promo_codes_code ON promo_codes (ws, pool, code)",
            "CREATE INDEX IF NOT EXISTS promo_codes_next ON promo_codes (ws, pool, state, seq)",
            "CREATE UNIQUE INDEX IF NOT EXISTS promo_codes_key ON promo_codes (ws, pool, issue_key) WHERE issue_key IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS promo_codes_profile ON promo_codes (ws, db, profile_id) WHERE profile_id IS NOT NULL");
    private static final String COLUMNS = "ws, pool, code, seq, state, db, profile_id, issue_key, issued_ms, redeemed_ms, order_id";

    private final SqliteConnections sqlite;

    public SqlitePromoStore(SqliteConnections sqlite) {
        this.sqlite = sqlite;
        sqlite.schema(SCHEMA);
    }

    @Override
    public List<Integer> add(String workspaceId, String poolId, List<String> codes) {
        List<Integer> refused = new ArrayList<>();
        sqlite.write(c -> {
            long seq = lastSeq(c, workspaceId, poolId);
            PreparedStatement ps = sqlite.statement(c, "INSERT OR IGNORE INTO promo_codes (ws, pool, code, seq, state) VALUES (?, ?, ?, ?, 'available')");
            // one batch (sqlite-jdbc runs it natively, without a round of JDBC per row); a duplicate is
            // ignored, and its number is used by nobody: numbers order the codes, they need not be dense
            for (int i = 0; i < codes.size(); i++) {
                ps.setString(1, workspaceId);
                ps.setString(2, poolId);
                ps.setString(3, codes.get(i));
                ps.setLong(4, seq + 1 + i);
                ps.addBatch();
            }
            int[] done = ps.executeBatch();
            for (int i = 0; i < done.length; i++) {
                if (done[i] == 0) {
                    refused.add(i);
                }
            }
        });
        return refused;
    }

    private long lastSeq(Connection c, String workspaceId, String poolId) throws SQLException {
        PreparedStatement ps = sqlite.statement(c, "SELECT MAX(seq) FROM promo_codes WHERE ws = ? AND pool = ?");
        ps.setString(1, workspaceId);
        ps.setString(2, poolId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public Map<String, Issue> issue(String workspaceId, String poolId, List<Claim> claims, Instant at) {
        Map<String, Issue> out = new LinkedHashMap<>();
        sqlite.write(c -> {
            List<Claim> fresh = new ArrayList<>();
            PreparedStatement byKey = sqlite.statement(c, "SELECT " + COLUMNS + " FROM promo_codes WHERE ws = ? AND pool = ? AND issue_key = ?");
            for (Claim claim : claims) {
                if (out.containsKey(claim.key()) || fresh.stream().anyMatch(f -> f.key().equals(claim.key()))) {
                    continue;
                }
                byKey.setString(1, workspaceId);
                byKey.setString(2, poolId);
                byKey.setString(3, claim.key());
                List<Code> before = codes(byKey);
                if (before.isEmpty()) {
                    fresh.add(claim);
                } else {
                    out.put(claim.key(), new Issue(before.get(0), false));
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            PreparedStatement next = sqlite.statement(c, "SELECT " + COLUMNS + " FROM promo_codes WHERE ws = ? AND pool = ? AND state = 'available'"
                    + " ORDER BY seq LIMIT ?");
            next.setString(1, workspaceId);
            next.setString(2, poolId);
            next.setInt(3, fresh.size());
            List<Code> available = codes(next);
            PreparedStatement take = sqlite.statement(c, "UPDATE promo_codes SET state = 'issued', db = ?, profile_id = ?, issue_key = ?,"
                    + " issued_ms = ? WHERE ws = ? AND pool = ? AND code = ? AND state = 'available'");
            for (int i = 0; i < available.size(); i++) {
                Claim claim = fresh.get(i);
                Code code = available.get(i);
                take.setString(1, claim.databaseId());
                take.setString(2, claim.profileId());
                take.setString(3, claim.key());
                take.setLong(4, at.toEpochMilli());
                take.setString(5, workspaceId);
                take.setString(6, poolId);
                take.setString(7, code.code());
                take.executeUpdate();
                out.put(claim.key(), new Issue(code.with(State.ISSUED, claim.databaseId(), claim.profileId(), claim.key(), at, null, null), true));
            }
        });
        return out;
    }

    @Override
    public Optional<Code> find(String workspaceId, String poolId, String code) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + COLUMNS + " FROM promo_codes WHERE ws = ? AND pool = ? AND code = ?");
            ps.setString(1, workspaceId);
            ps.setString(2, poolId);
            ps.setString(3, code);
            return codes(ps).stream().findFirst();
        });
    }

    @Override
    public Optional<Code> change(Code before, Code after) {
        int[] n = {0};
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "UPDATE promo_codes SET state = ?, db = ?, profile_id = ?, issue_key = ?, issued_ms = ?,"
                    + " redeemed_ms = ?, order_id = ? WHERE ws = ? AND pool = ? AND code = ? AND state = ? AND profile_id IS ? AND issue_key IS ?");
            ps.setString(1, after.state().id());
            ps.setString(2, after.databaseId());
            ps.setString(3, after.profileId());
            ps.setString(4, after.key());
            setMillis(ps, 5, after.issuedAt());
            setMillis(ps, 6, after.redeemedAt());
            ps.setString(7, after.order());
            ps.setString(8, before.workspaceId());
            ps.setString(9, before.poolId());
            ps.setString(10, before.code());
            ps.setString(11, before.state().id());
            ps.setString(12, before.profileId());
            ps.setString(13, before.key());
            n[0] = ps.executeUpdate();
        });
        return n[0] == 1 ? find(after.workspaceId(), after.poolId(), after.code()) : Optional.empty();
    }

    private static void setMillis(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, at.toEpochMilli());
        }
    }

    @Override
    public List<Code> ofProfile(String workspaceId, String databaseId, String profileId, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + COLUMNS + " FROM promo_codes WHERE ws = ? AND db = ? AND profile_id = ?"
                    + " ORDER BY issued_ms DESC, code LIMIT " + Math.max(1, Math.min(limit, 1000)));
            ps.setString(1, workspaceId);
            ps.setString(2, databaseId);
            ps.setString(3, profileId);
            return codes(ps);
        });
    }

    @Override
    public Map<State, Long> counts(String workspaceId, String poolId) {
        return sqlite.read(c -> {
            Map<State, Long> out = new EnumMap<>(State.class);
            PreparedStatement ps = sqlite.statement(c, "SELECT state, COUNT(*) FROM promo_codes WHERE ws = ? AND pool = ? GROUP BY state");
            ps.setString(1, workspaceId);
            ps.setString(2, poolId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(State.of(rs.getString(1)), rs.getLong(2));
                }
            }
            return out;
        });
    }

    @Override
    public List<Code> page(String workspaceId, String poolId, State state, long afterSeq, int limit) {
        return sqlite.read(c -> {
            PreparedStatement ps = sqlite.statement(c, "SELECT " + COLUMNS + " FROM promo_codes WHERE ws = ? AND pool = ?"
                    + (state == null ? " AND ? IS NULL" : " AND state = ?") + " AND seq > ? ORDER BY seq LIMIT " + Math.max(1, Math.min(limit, 10_000)));
            ps.setString(1, workspaceId);
            ps.setString(2, poolId);
            ps.setString(3, state == null ? null : state.id());
            ps.setLong(4, afterSeq);
            return codes(ps);
        });
    }

    @Override
    public void deletePool(String workspaceId, String poolId) {
        sqlite.write(c -> {
            PreparedStatement ps = sqlite.statement(c, "DELETE FROM promo_codes WHERE ws = ? AND pool = ?");
            ps.setString(1, workspaceId);
            ps.setString(2, poolId);
            ps.executeUpdate();
        });
    }

    private static List<Code> codes(PreparedStatement ps) throws SQLException {
        List<Code> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Code(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), State.of(rs.getString(5)), rs.getString(6),
                        rs.getString(7), rs.getString(8), millis(rs, 9), millis(rs, 10), rs.getString(11)));
            }
        }
        return out;
    }

    private static Instant millis(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
