package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first start of the packaged application. With an invalid ORBITA_ADMIN_API_KEY it used to
 * create the admin user, fail, linger for minutes, and leave every later start without a key
 * or demo database. Now the start exits at once with status 1 naming the variable, nothing is
 * created, and the next start with a valid key sets everything up.
 */
class FirstStartIT {

    Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    @Test
    void aFailedFirstStartExitsAtOnceAndTheNextStartCompletesTheSetUp() throws Exception {
        Path data = Files.createTempDirectory("orbita-first-start-it-");
        int port = ApiTestSupport.freePort();
        app = PackagedApp.launch(data, port, Map.of("ORBITA_ADMIN_PASSWORD", ApiTestSupport.ADMIN_PASSWORD,
                "ORBITA_ADMIN_API_KEY", "orb_not-a-key"), "--orbita.demo.enabled=true", "--orbita.demo.profiles=20");
        long started = System.nanoTime();
        assertThat(app.waitFor(90, TimeUnit.SECONDS)).as("the failed start exits").isTrue();
        assertThat(app.exitValue()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
        assertThat(Files.readString(PackagedApp.log(data, port)))
                .contains("ORBITA_ADMIN_API_KEY").contains("nothing was created");

        port = ApiTestSupport.freePort();
        app = PackagedApp.launch(data, port, Map.of("ORBITA_ADMIN_PASSWORD", ApiTestSupport.ADMIN_PASSWORD,
                "ORBITA_ADMIN_API_KEY", ApiTestSupport.ADMIN_KEY), "--orbita.demo.enabled=true", "--orbita.demo.profiles=20");
        for (int i = 0; i < 300 && !PackagedApp.healthy(port); i++) {
            assertThat(app.isAlive()).as("the second start runs; see " + PackagedApp.log(data, port)).isTrue();
            Thread.sleep(300);
        }
        ApiTestSupport.Reply databases = ApiTestSupport.json(port, "GET", "/api/v1/databases", null);
        assertThat(databases.status()).as(databases.body()).isEqualTo(200);
        assertThat(databases.body()).contains("\"clients\"");
        assertThat(ApiTestSupport.json(port, "GET", "/api/v1/databases/clients", null).json().path("profiles").asLong()).isEqualTo(20);
        // the banner names the port the server listens on
        assertThat(Files.readString(PackagedApp.log(data, port))).contains("UI:       http://localhost:" + port + "/");
    }
}
