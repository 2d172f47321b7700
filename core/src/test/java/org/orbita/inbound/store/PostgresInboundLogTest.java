package org.orbita.inbound.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbita.inbound.InboundLog;
import org.orbita.storage.sql.PostgresDatabase;

/**
 * The inbound log on PostgreSQL, as production runs it (the server at 127.0.0.1:5432, or
 * {@code ORBITA_TEST_POSTGRES_URL}'s): a database of its own per test.
 */
class PostgresInboundLogTest extends InboundLogContract {

    private static final String SERVER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_USER", "postgres");
    private String database;
    private PostgresDatabase db;
    private InboundLog store;

    @BeforeEach
    void open() throws SQLException {
        database = "orbita_inbound_" + Long.toHexString(System.nanoTime());
        sql("CREATE DATABASE " + database);
        db = new PostgresDatabase(SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database, USER, "", 2);
        store = new SqlInboundLog(db);
    }

    @AfterEach
    void drop() throws SQLException {
        db.close();
        sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    protected InboundLog log() {
        return store;
    }
}
