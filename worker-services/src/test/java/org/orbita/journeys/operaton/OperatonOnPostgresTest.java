package org.orbita.journeys.operaton;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.orbita.journeys.runtime.JourneyEngine;
import org.orbita.journeys.runtime.JourneyEngineContract;

/**
 * The contract on Operaton with its state in PostgreSQL, as production runs it (the local server
 * at 127.0.0.1:5432, or {@code ORBITA_TEST_POSTGRES_URL}'s): a database of its own per test.
 */
class OperatonOnPostgresTest extends JourneyEngineContract {

    private static final String SERVER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_USER", "postgres");
    private String database;

    @BeforeEach
    void database() throws SQLException {
        database = "orbita_journeys_" + Long.toHexString(System.nanoTime());
        sql("CREATE DATABASE " + database);
    }

    @AfterEach
    void drop() throws SQLException {
        ClockUtil.reset();
        sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    protected boolean nodesRetriedAlone() {
        return false;
    }

    @Override
    protected JourneyEngine engine() {
        return OperatonEngine.start(SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database, USER, "", 4);
    }
}
