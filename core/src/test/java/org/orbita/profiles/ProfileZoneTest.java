package org.orbita.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileZoneTest {

    static Profile with(Map<String, Object> fields) {
        Instant t = Instant.parse("2026-12-04T12:00:00Z");
        return new Profile("p", "db", new LinkedHashMap<>(fields), List.of(), List.of(), null, t, t, List.of());
    }

    @Test
    void theNamedFieldThenTheTimezoneFieldThenTheFallbackThenUtc() {
        assertThat(ProfileZone.of(with(Map.of("tz", "Asia/Tokyo", "timezone", "Europe/Paris")), "tz", "America/Chicago")).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(ProfileZone.of(with(Map.of("timezone", "Europe/Paris")), "tz", "America/Chicago")).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(ProfileZone.of(with(Map.of("timezone", "Europe/Paris")))).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(ProfileZone.of(with(Map.of()), null, "America/Chicago")).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(ProfileZone.of(with(Map.of("timezone", "Mars/Base")), null, null)).as("not a zone: the next one decides").isEqualTo(ZoneOffset.UTC);
    }
}
