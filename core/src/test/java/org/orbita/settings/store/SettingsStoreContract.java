package org.orbita.settings.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.orbita.common.Json;
import org.orbita.settings.SettingsStore;

/** What every settings store must do alike. */
public abstract class SettingsStoreContract {

    protected abstract SettingsStore settings();

    @Test
    void keepsSettingsDocuments() {
        settings().put("jobs", "j2", "{\"id\":\"j2\",\"n\":2,\"amount\":1.10}");
        settings().put("jobs", "j1", "{\"id\":\"j1\",\"n\":1}");
        settings().put("jobs", "j1", "{\"id\":\"j1\",\"n\":3}");

        assertThat(settings().get("jobs", "j1")).contains("{\"id\":\"j1\",\"n\":3}");
        assertThat(settings().list("jobs")).containsExactly("{\"id\":\"j1\",\"n\":3}", "{\"id\":\"j2\",\"n\":2,\"amount\":1.10}");
        assertThat(settings().remove("jobs", "j1")).isTrue();
        assertThat(settings().get("jobs", "j1")).isEmpty();
    }

    /** Concurrent read-change-writes of one document lose none of the changes. */
    @Test
    void updatesOneDocumentAtomically() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        settings().update("jobs", "counter", json -> {
                            long n = json == null ? 0 : ((Number) Json.readMap(json).get("n")).longValue();
                            return "{\"id\":\"counter\",\"n\":" + (n + 1) + "}";
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(((Number) Json.readMap(settings().get("jobs", "counter").orElseThrow()).get("n")).intValue()).isEqualTo(threads * each);
    }

    /**
     * A change that answers null leaves the store as it was: a document deleted while a change was
     * on its way is not written back as "null" (a list would then hold a null), and a kept one is
     * not emptied.
     */
    @Test
    void aChangeThatAnswersNullWritesNothing() {
        assertThat(settings().update("jobs", "gone", json -> null)).isNull();
        assertThat(settings().get("jobs", "gone")).isEmpty();
        assertThat(settings().list("jobs")).isEmpty();
        settings().put("jobs", "kept", "{\"id\":\"kept\"}");
        assertThat(settings().update("jobs", "kept", json -> null)).isNull();
        assertThat(settings().get("jobs", "kept")).contains("{\"id\":\"kept\"}");
        assertThat(new org.orbita.settings.Documents<>(settings(), "jobs", java.util.Map.class, m -> String.valueOf(m.get("id")))
                .update("gone", stored -> stored == null ? null : stored)).isNull();
        assertThat(settings().list("jobs")).containsExactly("{\"id\":\"kept\"}");
    }
}
