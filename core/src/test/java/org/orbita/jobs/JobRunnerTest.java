package org.orbita.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

class JobRunnerTest {

    @TempDir
    Path dir;

    @Test
    void whateverEndsAHandlerEndsItsJobWithTheReason() throws Exception {
        try (SqliteConnections sqlite = new SqliteConnections(dir.resolve("orbita.db"), false)) {
            Jobs jobs = new Jobs(new SqliteSettings(sqlite), Clock.systemUTC());
            try (JobRunner runner = new JobRunner(jobs, Map.<String, java.util.function.Consumer<String>>of(
                    "broken", id -> {
                        throw new NoClassDefFoundError("org/drools/Missing");
                    }), 1)) {
                Job job = jobs.create("ws", "broken", Map.of());
                runner.submit(job);
                for (int i = 0; i < 100 && !jobs.get(job.id()).finishedRunning(); i++) {
                    Thread.sleep(20);
                }
                Job done = jobs.get(job.id());
                assertThat(done.status()).isEqualTo(Job.Status.FAILED);
                assertThat(done.error()).contains("NoClassDefFoundError").contains("org/drools/Missing");
            }
        }
    }
}
