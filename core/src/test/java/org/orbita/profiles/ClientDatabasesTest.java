package org.orbita.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.InvalidInputException;
import org.orbita.testing.EmbeddedCore;

class ClientDatabasesTest {

    @TempDir
    Path folder;

    @Test
    void idsArePerWorkspaceAndEachKeepsItsOwnProfilesAndEvents() throws Exception {
        try (EmbeddedCore core = new EmbeddedCore(folder)) {
            ClientDatabase a = core.databases.create("a", "clients", "A's clients", null);
            ClientDatabase b = core.databases.create("b", "clients", "B's clients", null);
            assertThat(a.publicId()).isEqualTo("clients");
            assertThat(b.publicId()).isEqualTo("clients");
            assertThat(a.id()).isEqualTo("clients"); // the first keeps the id as its key
            assertThat(b.id()).isNotEqualTo(a.id()).startsWith("clients-");
            assertThatThrownBy(() -> core.databases.create("b", "clients", "again", null))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("already exists");

            // each workspace finds its own by its id, and by its key; never the other's
            assertThat(core.databases.resolve("a", "clients")).contains(a);
            assertThat(core.databases.resolve("b", "clients")).contains(b);
            assertThat(core.databases.resolve("b", b.id())).contains(b);
            assertThat(core.databases.resolve("a", b.id())).isEmpty();
            assertThat(core.databases.resolve("c", "clients")).isEmpty();

            // an event named by the workspace's id lands in its own database
            String bea = core.writing.write(b, ProfileChange.ofFields("email", Map.of("email", "bea@b.io")), WriteMode.UPSERT, ProfileSource.API).profile().id();
            EventIngest ingest = new EventIngest(core.profiles, core.events, java.time.Clock.systemUTC());
            EventIngest.Outcome out = ingest.ingest(List.of(new EventInput("clients", "email", "bea@b.io", "purchase", null, null, Map.of())),
                    ref -> core.databases.resolve("b", ref));
            assertThat(out.rejected()).isEmpty();
            assertThat(core.profiles.count(b.id())).isEqualTo(1);
            assertThat(core.profiles.count(a.id())).isZero();
            assertThat(core.events.history(new org.orbita.events.HistoryQuery(b.id(), bea, java.util.Set.of("purchase"), null, null, null,
                    null, null, 10))).hasSize(1);
        }
    }
}
