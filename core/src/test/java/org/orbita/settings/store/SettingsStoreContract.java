package org.orbita.settings.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.orbita.common.Ids;
import org.orbita.profiles.Channel;
import org.orbita.profiles.KeyTakenException;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileFilter;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.Subscription;
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
