package org.orbita.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orbita.common.UnavailableException;
import org.orbita.storage.StorageException;

class ProblemHandlingTest {

    private final ProblemHandling handling = new ProblemHandling(null);

    @Test
    void aServiceThatCannotTakeMoreIs503WithWhenToTryAgain() {
        var answer = handling.unavailable(new UnavailableException("the journey engine refuses entries", Duration.ofSeconds(30)));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("30");
        assertThat(answer.getBody().getDetail()).isEqualTo("the journey engine refuses entries");
        assertThat(answer.getBody().getProperties()).containsEntry("retryAfterSeconds", 30L);
    }

    @Test
    void aStoreThatIsDownIs503WithoutTheStoresWords() {
        var answer = handling.storageDown(new StorageException("cannot write journey_instances", new java.sql.SQLException("[SQLITE_FULL] database or disk is full")));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().getDetail()).doesNotContain("SQLITE").doesNotContain("journey_instances").contains("Try again");
    }
}
