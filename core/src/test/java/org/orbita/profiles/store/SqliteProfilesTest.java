package org.orbita.profiles.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileStore;
import org.orbita.settings.store.SqliteSettings;
import org.orbita.storage.sqlite.SqliteConnections;

class SqliteProfilesTest extends ProfileStoreContract {

    @TempDir
    Path dir;
    SqliteConnections sqlite;
    SqliteProfiles store;

    @BeforeEach
    void open() {
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteProfiles(sqlite);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    @Override
    protected ProfileStore profiles() {
        return store;
    }

    @Test
    void anInnerFailureUndoesOnlyTheInnerWritesAndAnOuterOneUndoesAll() {
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        Profile b = profile("db1", Map.of("email", "b@x.io"));
        store.inTransaction(() -> {
            store.save(a, Set.of(new ProfileKey("email", "a@x.io")));
            try {
                store.inTransaction(() -> {
                    store.save(b, Set.of(new ProfileKey("email", "b@x.io")));
                    throw new IllegalStateException("row failed");
                });
            } catch (IllegalStateException expected) {
                assertThat(expected).hasMessage("row failed");
            }
            return null;
        });
        assertThat(store.find("db1", a.id())).isPresent();
        assertThat(store.find("db1", b.id())).isEmpty();

        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.save(b, Set.of(new ProfileKey("email", "b@x.io")));
            throw new IllegalStateException("batch failed");
        })).hasMessage("batch failed");
        assertThat(store.find("db1", b.id())).isEmpty();
    }

    @Test
    void storesOverOneFileCommitTogether() {
        SqliteSettings settings = new SqliteSettings(sqlite);
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.save(a, Set.of(new ProfileKey("email", "a@x.io")));
            settings.put("jobs", "j1", "{\"id\":\"j1\"}");
            throw new IllegalStateException("checkpoint failed");
        })).hasMessage("checkpoint failed");
        assertThat(store.find("db1", a.id())).isEmpty();
        assertThat(settings.get("jobs", "j1")).isEmpty();
        store.inTransaction(() -> {
            store.save(a, Set.of(new ProfileKey("email", "a@x.io")));
            settings.put("jobs", "j1", "{\"id\":\"j1\"}");
            return null;
        });
        assertThat(store.find("db1", a.id())).isPresent();
        assertThat(settings.get("jobs", "j1")).isPresent();
    }

    @Test
    void committedDataSurvivesReopening() {
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        store.save(a, Set.of(new ProfileKey("email", "a@x.io")));
        sqlite.close();
        sqlite = new SqliteConnections(dir.resolve("orbita.db"), false);
        store = new SqliteProfiles(sqlite);
        assertThat(store.find("db1", a.id())).contains(a);
    }
}
