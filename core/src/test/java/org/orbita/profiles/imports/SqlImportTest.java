package org.orbita.profiles.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.InvalidInputException;
import org.orbita.outbound.GuardedJdbc;
import org.orbita.outbound.NetworkGuard;
import org.orbita.jobs.Job;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.ProfileKey;
import org.orbita.testing.EmbeddedCore;
import org.orbita.testing.LocalPostgres;

/** Scheduled imports pulling from the local PostgreSQL (127.0.0.1:5432, trust auth, database test). */
class SqlImportTest {

    static final String URL = LocalPostgres.URL;
    static final String USER = LocalPostgres.USER;

    @TempDir
    Path dir;
    EmbeddedCore core;
    SqlImports sqlImports;
    ProfileImport imports;
    String table;

    @BeforeEach
    void setUp() throws SQLException {
        core = new EmbeddedCore(dir);
        core.databases.create("ws", "crm", "CRM", new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(), FieldDefinition.of("name", FieldType.STRING),
                FieldDefinition.of("spent", FieldType.DECIMAL))));
        // the test's PostgreSQL runs on this machine: allowed by name, as an operator would
        sqlImports = new SqlImports(core.settings, core.databases, cron -> cron.split(" ").length == 6,
                new GuardedJdbc(new NetworkGuard(false, List.of("127.0.0.1", "localhost"))), Clock.systemUTC());
        imports = new ProfileImport(core.databases, core.profiles, core.writing, core.events, core.jobs, core.reports, 1 << 30,
                sqlImports);
        table = "orbita_customers_" + Long.toHexString(System.nanoTime());
        sql("CREATE TABLE " + table + " (mail text, full_name text, spent numeric(12,2), changed_at timestamp)");
        sql("INSERT INTO " + table + " VALUES ('a@x.io', 'Ann', 10.50, '2026-01-01 10:00:00'),"
                + " ('b@x.io', 'Bob', 20.00, '2026-01-02 10:00:00'), ('not-an-email', 'Bad', 1, '2026-01-03 10:00:00')");
    }

    @AfterEach
    void tearDown() throws SQLException {
        sql("DROP TABLE IF EXISTS " + table);
        core.close();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private SqlImport schedule() {
        return sqlImports.create("ws", new SqlImport(null, null, "crm", "CRM nightly", URL, USER, "", "SELECT mail, full_name,"
                + " spent, changed_at FROM " + table, "changed_at", null, null, "0 0 3 * * *",
                Map.of("mail", "email", "full_name", "name", "spent", "spent"), "email", "upsert", true, null, null));
    }

    @Test
    void pullsNewRowsPastTheWatermarkOnEachRun() throws SQLException {
        SqlImport s = schedule();
        Job first = imports.run(imports.submitSql(s).id());

        assertThat(first.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(first.succeeded()).isEqualTo(2);
        assertThat(core.reports.read(first.id(), 0, 10)).singleElement()
                .satisfies(e -> assertThat(e.row()).isEqualTo(4)).satisfies(e -> assertThat(e.field()).isEqualTo("email"));
        assertThat(sqlImports.find(s.id()).orElseThrow().lastWatermark()).isEqualTo("2026-01-03T10:00:00Z");

        sql("INSERT INTO " + table + " VALUES ('c@x.io', 'Cid', 5, '2026-01-04 09:00:00')");
        sql("UPDATE " + table + " SET full_name = 'Ann B' WHERE mail = 'a@x.io'");
        Job second = imports.run(imports.submitSql(sqlImports.find(s.id()).orElseThrow()).id());

        assertThat(second.processed()).isEqualTo(1);
        assertThat(core.profiles.count("crm")).isEqualTo(3);
        String ann = core.profiles.findOwner("crm", new ProfileKey("email", "a@x.io")).orElseThrow();
        assertThat(core.profiles.find("crm", ann).orElseThrow().fields()).containsEntry("name", "Ann")
                .containsEntry("spent", new BigDecimal("10.50"));
    }

    @Test
    void refusesWhatIsNotAReadOnlyQueryOrABadSchedule() {
        assertThatThrownBy(() -> sqlImports.create("ws", new SqlImport(null, null, "crm", "x", "jdbc:h2:mem:x", null, null,
                "DELETE FROM t; SELECT 1", "changed at", null, null, "every day", Map.of(), "email", "upsert", true, null, null)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactly("jdbcUrl", "query", "watermarkColumn", "cron"));
    }

    @Test
    void aQueryTheServerRefusesFailsTheJobWithItsReason() {
        SqlImport s = sqlImports.create("ws", new SqlImport(null, null, "crm", "broken", URL, USER, "", "SELECT nope FROM "
                + table, null, null, null, null, Map.of(), "email", "upsert", true, null, null));
        Job job = imports.run(imports.submitSql(s).id());
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.error()).contains("refused the query").contains("nope");
    }
}
