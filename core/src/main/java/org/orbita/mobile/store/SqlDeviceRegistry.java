package org.orbita.mobile.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orbita.mobile.DeviceRegistry;
import org.orbita.storage.sql.SqlDatabase;

/** The device registry on SQL, one schema for SQLite and PostgreSQL. */
public final class SqlDeviceRegistry implements DeviceRegistry {

    public static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS mobile_devices (ws TEXT NOT NULL, app TEXT NOT NULL, address TEXT NOT NULL, db TEXT NOT NULL,"
                    + " profile TEXT NOT NULL, platform TEXT, app_version TEXT, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (ws, app, address))",
            "CREATE INDEX IF NOT EXISTS mobile_devices_profile ON mobile_devices (db, profile, updated_ms)");

    private static final String COLUMNS = "ws, app, address, db, profile, platform, app_version, created_ms, updated_ms";

    private final SqlDatabase db;

    public SqlDeviceRegistry(SqlDatabase db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    @Override
    public Optional<Device> find(String workspaceId, String appId, String address) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mobile_devices WHERE ws = ? AND app = ? AND address = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, appId);
                ps.setString(3, address);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(device(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(Device d, String replacing) {
        db.write(c -> {
            if (replacing != null && !replacing.equals(d.address())) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mobile_devices WHERE ws = ? AND app = ? AND address = ?")) {
                    ps.setString(1, d.workspaceId());
                    ps.setString(2, d.appId());
                    ps.setString(3, replacing);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mobile_devices (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (ws, app, address) DO UPDATE SET db = excluded.db, profile = excluded.profile, platform = excluded.platform,"
                    + " app_version = excluded.app_version, updated_ms = excluded.updated_ms")) {
                ps.setString(1, d.workspaceId());
                ps.setString(2, d.appId());
                ps.setString(3, d.address());
                ps.setString(4, d.databaseId());
                ps.setString(5, d.profileId());
                ps.setString(6, d.platform());
                ps.setString(7, d.appVersion());
                ps.setLong(8, d.created().toEpochMilli());
                ps.setLong(9, d.updated().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Device> ofProfile(String databaseId, String profileId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mobile_devices WHERE db = ? AND profile = ?"
                    + " ORDER BY updated_ms DESC LIMIT 100")) {
                ps.setString(1, databaseId);
                ps.setString(2, profileId);
                List<Device> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(device(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long count(String workspaceId, String appId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mobile_devices WHERE ws = ? AND app = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, appId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public int forget(String workspaceId, String appId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mobile_devices WHERE ws = ? AND app = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, appId);
                return ps.executeUpdate();
            }
        });
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)));
    }
}
