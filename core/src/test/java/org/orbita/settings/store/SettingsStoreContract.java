package org.orbita.settings.store;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
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
}
