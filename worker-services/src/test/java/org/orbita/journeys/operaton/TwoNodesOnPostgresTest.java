package org.orbita.journeys.operaton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several app nodes on one PostgreSQL database (docs/ARCHITECTURE.md): two processes, each
 * with its engine and job executor, take the same instances' jobs between them, and each
 * instance's nodes run once — 400 instances, half started on each.
 */
class TwoNodesOnPostgresTest {

    private static final String SERVER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ORBITA_TEST_POSTGRES_USER", "postgres");
    private String database;
    private String url;

    @BeforeEach
    void database() throws SQLException {
        database = "orbita_two_nodes_" + Long.toHexString(System.nanoTime());
        sql(SERVER, "CREATE DATABASE " + database);
        url = SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database;
        sql(url, "CREATE TABLE calls (instance BIGINT NOT NULL, element TEXT NOT NULL, node TEXT NOT NULL)");
    }

    @AfterEach
    void drop() throws SQLException {
        sql(SERVER, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void sql(String on, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(on, USER, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private Process node(String name) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                EngineNode.class.getName(), url, USER, name).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready")) {
                return p;
            }
        }
        throw new AssertionError("engine node " + name + " ended before it was ready (exit " + p.waitFor() + ")");
    }

    @Test
    void twoProcessesOnOneDatabaseRunEachInstancesNodesOnce() throws Exception {
        Process a = node("a");
        Process b = node("b");
        try {
            // each starts 200; either's job executor takes any instance's job
            for (Process p : List.of(a, b)) {
                p.getOutputStream().write("start 200\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            }
            Map<String, Long> byNode = new HashMap<>();
            long calls = 0;
            long repeated = -1;
            for (int i = 0; i < 600 && calls < 800; i++) {
                Thread.sleep(100);
                try (Connection c = DriverManager.getConnection(url, USER, ""); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM calls")) {
                        rs.next();
                        calls = rs.getLong(1);
                    }
                    if (calls >= 800) {
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT instance, element FROM calls GROUP BY instance, element"
                                + " HAVING count(*) > 1) twice")) {
                            rs.next();
                            repeated = rs.getLong(1);
                        }
                        try (ResultSet rs = s.executeQuery("SELECT node, count(*) FROM calls GROUP BY node")) {
                            while (rs.next()) {
                                byNode.put(rs.getString(1), rs.getLong(2));
                            }
                        }
                    }
                }
            }
            assertThat(calls).as("two nodes of each of 400 instances").isEqualTo(800);
            assertThat(repeated).as("nodes run twice").isZero();
            assertThat(byNode).as("work taken by both processes: " + byNode).containsKeys("a", "b");
        } finally {
            a.getOutputStream().close();
            b.getOutputStream().close();
            a.waitFor();
            b.waitFor();
        }
    }
}
