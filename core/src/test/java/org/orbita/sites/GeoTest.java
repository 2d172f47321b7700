package org.orbita.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against MaxMind's own test database (GeoLite2-City-Test.mmdb from github.com/maxmind/MaxMind-DB
 * at 2f18851, Apache-2.0 or MIT; its source data says which network is where).
 */
class GeoTest {

    static Path testDatabase() throws URISyntaxException {
        return Path.of(GeoTest.class.getResource("GeoLite2-City-Test.mmdb").toURI());
    }

    @Test
    void anAddressIsPlacedByTheDatabaseAndAnUnknownOneNowhere() throws Exception {
        try (Geo geo = Geo.open(testDatabase())) {
            assertThat(geo.locate("81.2.69.142")).isEqualTo(Map.of("country", "GB", "city", "London", "region", "England"));
            assertThat(geo.locate("89.160.20.120")).containsEntry("country", "SE").containsEntry("city", "Linköping");
            assertThat(geo.locate("127.0.0.1")).isEmpty();
            assertThat(geo.locate("not an address")).isEmpty();
            assertThat(geo.locate(null)).isEmpty();
        }
        assertThat(Geo.none().locate("81.2.69.142")).isEmpty();
        assertThatThrownBy(() -> Geo.open(Path.of("/nowhere/geo.mmdb"))).hasMessageContaining("cannot be read");
    }
}
