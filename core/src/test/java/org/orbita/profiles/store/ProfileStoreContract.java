package org.orbita.profiles.store;

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
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;

/** What every profile store must do alike; each adapter's test extends it. */
public abstract class ProfileStoreContract {

    protected abstract ProfileStore profiles();

    protected static Profile profile(String db, Map<String, ?> fields) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Profile(Ids.next(), db, new LinkedHashMap<>(fields),
                List.of(new Subscription(Channel.EMAIL, "a@x.io", null, null, now)), List.of(), null, now, now, List.of());
    }

    @Test
    void storesProfilesWithExactValuesAndFindsThemByIdAndKey() {
        Profile p = profile("db1", Map.of("email", "a@x.io", "score", new BigDecimal("12.50"), "age", 41L,
                "tags", List.of("vip"), "items", List.of(Map.of("sku", "A1", "qty", 2L))));
        profiles().save(p, Set.of(new ProfileKey("email", "a@x.io")));

        assertThat(profiles().find("db1", p.id())).contains(p);
        assertThat(profiles().findOwner("db1", new ProfileKey("email", "a@x.io"))).contains(p.id());
        assertThat(profiles().findOwner("db2", new ProfileKey("email", "a@x.io"))).isEmpty();
        assertThat(profiles().count("db1")).isEqualTo(1);
    }
    @Test
    void saysWhichOfManyIdsAreProfilesOfTheDatabase() {
        List<String> stored = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Profile p = profile("db1", Map.of("email", i + "@x.io"));
            profiles().save(p, Set.of(new ProfileKey("email", i + "@x.io")));
            stored.add(p.id());
        }
        Profile elsewhere = profile("db2", Map.of("email", "e@x.io"));
        profiles().save(elsewhere, Set.of(new ProfileKey("email", "e@x.io")));
        List<String> asked = new java.util.ArrayList<>(stored.subList(0, 290)); // more than one look-up's worth, a short last one
        asked.add("nobody");
        asked.add(elsewhere.id());
        asked.add(stored.get(5)); // named twice

        assertThat(profiles().existing("db1", asked)).containsExactlyInAnyOrderElementsOf(stored.subList(0, 290));
        assertThat(profiles().existing("db2", asked)).containsExactly(elsewhere.id());
        assertThat(profiles().existing("db1", List.of())).isEmpty();
    }

    @Test
    void aKeyBelongsToOneProfileAndMovesWhenReleased() {
        Profile a = profile("db1", Map.of("email", "a@x.io"));
        Profile b = profile("db1", Map.of("email", "b@x.io"));
        profiles().save(a, Set.of(new ProfileKey("email", "a@x.io")));
        profiles().save(b, Set.of(new ProfileKey("email", "b@x.io")));

        assertThatThrownBy(() -> profiles().save(b, Set.of(new ProfileKey("email", "b@x.io"), new ProfileKey("email", "a@x.io"))))
                .isInstanceOf(KeyTakenException.class)
                .satisfies(e -> assertThat(((KeyTakenException) e).ownerId()).isEqualTo(a.id()));
        assertThat(profiles().findOwner("db1", new ProfileKey("email", "b@x.io"))).contains(b.id());

        profiles().save(a, Set.of(new ProfileKey("email", "c@x.io")));
        profiles().save(b, Set.of(new ProfileKey("email", "a@x.io")));
        assertThat(profiles().findOwner("db1", new ProfileKey("email", "a@x.io"))).contains(b.id());
        assertThat(profiles().findOwner("db1", new ProfileKey("email", "b@x.io"))).isEmpty();
    }
    @Test
    void pagesInIdOrderSearchesAndDeletes() {
        for (int i = 0; i < 25; i++) {
            Profile p = profile("db1", Map.of("email", "p" + i + "@x.io", "city", i % 5 == 0 ? "Kazan" : "Omsk",
                    "tags", i % 2 == 0 ? List.of("even", "all") : List.of("all"), "age", (long) i));
            profiles().save(p, Set.of(new ProfileKey("email", "p" + i + "@x.io")));
        }
        List<Profile> first = profiles().page("db1", null, 10);
        List<Profile> second = profiles().page("db1", first.get(9).id(), 10);
        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(first.get(9).id()).isLessThan(second.get(0).id());
        assertThat(profiles().countSearch("db1", "kazan")).isEqualTo(5);
        assertThat(profiles().search("db1", "kazan", 2, 10)).hasSize(3);
        assertThat(profiles().countSearch("db1", new ProfileFilter("", "city", "Omsk"))).isEqualTo(20);
        assertThat(profiles().countSearch("db1", new ProfileFilter("", "tags", "even"))).isEqualTo(13);
        assertThat(profiles().countSearch("db1", new ProfileFilter("", "age", 7L))).isEqualTo(1);
        assertThat(profiles().search("db1", new ProfileFilter("p1", "city", "Kazan"), 0, 10))
                .extracting(p -> p.field("email")).containsExactly("p10@x.io", "p15@x.io");

        assertThat(profiles().delete("db1", first.get(0).id())).isTrue();
        assertThat(profiles().findOwner("db1", new ProfileKey("email", "p0@x.io"))).isEmpty();
        profiles().deleteDatabase("db1");
        assertThat(profiles().count("db1")).isZero();
    }
    @Test
    void findsTheIdAtAPositionForSampling() {
        String db = "sample-" + Ids.next().substring(24);
        for (int i = 0; i < 5; i++) {
            profiles().save(profile(db, Map.of("email", "s" + i + "@example.com")), Set.of());
        }
        List<String> ids = profiles().page(db, null, 10).stream().map(Profile::id).toList();
        assertThat(profiles().ids(db, null, 10)).as("ids alone, in the same order").isEqualTo(ids);
        assertThat(profiles().ids(db, ids.get(1), 2)).containsExactly(ids.get(2), ids.get(3));
        assertThat(profiles().ids(db, ids.get(4), 2)).isEmpty();
        assertThat(profiles().idAt(db, 0)).contains(ids.get(0));
        assertThat(profiles().idAt(db, 3)).contains(ids.get(3));
        assertThat(profiles().idAt(db, 5)).isEmpty();
    }
}
