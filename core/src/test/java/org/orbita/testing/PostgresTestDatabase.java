package org.orbita.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.orbita.storage.sql.PostgresDatabase;

/**
 * A database of its own on the PostgreSQL server tests use ({@link LocalPostgres}), made for one
 * test and dropped after it.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    private static final String SERVER = LocalPostgres.URL;
    private static final String USER = LocalPostgres.USER;

    private final String name;
    private final PostgresDatabase db;

    /** @param prefix what the database's name starts with (a capability's name) */
    public PostgresTestDatabase(String prefix) throws SQLException {
        name = prefix + Long.toHexString(System.nanoTime());
        sql("CREATE DATABASE " + name);
        db = new PostgresDatabase(SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + name, USER, "", 2);
    }

    public PostgresDatabase db() {
        return db;
    }

    @Override
    public void close() throws SQLException {
        db.close();
        sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
