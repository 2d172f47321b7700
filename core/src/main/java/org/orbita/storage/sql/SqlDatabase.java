package org.orbita.storage.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A relational database a capability keeps its tables in with one schema for both engines it
 * runs on: the embedded SQLite file ({@link SqliteDatabase}) or PostgreSQL ({@link PostgresDatabase}).
 * Statements are the SQL both accept ({@code INSERT … ON CONFLICT … DO UPDATE}, {@code RETURNING},
 * numbers as {@code BIGINT} / {@code NUMERIC}, times as epoch milliseconds, JSON as text).
 */
public interface SqlDatabase {

    /** Work on a connection in one transaction: committed when it returns, rolled back when it throws. */
    <T> T write(Work<T> work);

    /** A read (no transaction of its own is promised; it sees what was committed). */
    <T> T read(Work<T> work);

    /** Runs each statement of a schema (each says IF NOT EXISTS). */
    default void schema(java.util.List<String> ddl) {
        write(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                for (String statement : ddl) {
                    s.executeUpdate(statement);
                }
            }
            return null;
        });
    }

    /** {@code sqlite} or {@code postgresql}. */
    String engine();

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
