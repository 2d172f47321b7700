package org.orbita.storage.sqlite;

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
import org.orbita.storage.ProfileEngine;
import org.orbita.storage.ProfileEngineContract;

class SqliteStoreTest extends ProfileEngineContract {

    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = new SqliteStore(dir.resolve("orbita.db"), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected ProfileEngine engine() {
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
    void committedDataSurvivesReopening() {
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        store.save(a, Set.of(new ProfileKey("email", "a@x.io")));
        store.close();
        store = new SqliteStore(dir.resolve("orbita.db"), false);
        assertThat(store.find("db1", a.id())).contains(a);
    }
}
