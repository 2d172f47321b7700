package org.orbita.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.HistoryQuery;
import org.orbita.testing.EmbeddedCore;

class ProfileWritingTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    ClientDatabase db;

    @BeforeEach
    void setUp() {
        core = new EmbeddedCore(dir);
        DatabaseSchema schema = new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("phone", FieldType.PHONE).asUnique(),
                FieldDefinition.of("name", FieldType.STRING),
                FieldDefinition.of("age", FieldType.INTEGER),
                new FieldDefinition("tier", FieldType.ENUM, null, false, false, "basic", List.of("basic", "gold"))));
        db = core.databases.create("ws", "shop", "Shop clients", schema);
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private WriteResult upsert(Map<String, Object> fields) {
        return core.writing.write(db, ProfileChange.ofFields("email", fields), WriteMode.UPSERT, ProfileSource.API);
    }

    @Test
    void upsertCreatesThenUpdatesTheProfileFoundByItsMatchingKey() {
        WriteResult created = upsert(Map.of("email", "Ann@Example.com", "name", "Ann"));
        WriteResult updated = upsert(Map.of("email", "ann@example.com", "age", "41"));

        assertThat(created.created()).isTrue();
        assertThat(updated.created()).isFalse();
        assertThat(updated.profile().id()).isEqualTo(created.profile().id());
        assertThat(updated.profile().fields()).containsEntry("name", "Ann").containsEntry("age", 41L)
                .containsEntry("tier", "basic");
        assertThat(core.profiles.count("shop")).isEqualTo(1);
        assertThat(core.events.history(HistoryQuery.latest("shop", created.profile().id(), 10)))
                .extracting(e -> e.type()).containsExactly("profile.updated", "profile.created");
    }

    @Test
    void twoIdentifiersOfTwoProfilesMergeIntoTheMatchedOne() {
        String byEmail = upsert(Map.of("email", "a@x.io", "name", "Ann")).profile().id();
        String byPhone = core.writing.write(db, ProfileChange.ofFields("phone", Map.of("phone", "+79160000001", "age", 30)),
                WriteMode.UPSERT, ProfileSource.API).profile().id();

        WriteResult merged = upsert(Map.of("email", "a@x.io", "phone", "+7 916 000-00-01"));

        assertThat(merged.profile().id()).isEqualTo(byEmail);
        assertThat(merged.mergedIds()).containsExactly(byPhone);
        assertThat(merged.profile().fields()).containsEntry("name", "Ann").containsEntry("age", 30L)
                .containsEntry("phone", "+79160000001");
        assertThat(core.profiles.find("shop", byPhone)).isEmpty();
        assertThat(core.profiles.findOwner("shop", ProfileKey.mergedId(byPhone))).contains(byEmail);
        assertThat(core.profiles.findOwner("shop", new ProfileKey("phone", "+79160000001"))).contains(byEmail);
        WriteResult viaOldId = core.writing.write(db, new ProfileChange("id", byPhone, Map.of("age", 31), null, null, null),
                WriteMode.UPDATE, ProfileSource.API);
        assertThat(viaOldId.profile().id()).isEqualTo(byEmail);
        assertThat(core.events.history(HistoryQuery.latest("shop", byEmail, 10))).extracting(e -> e.type())
                .contains("profile.merged");
    }

    @Test
    void insertRefusesAnExistingProfileAndUpdateAMissingOne() {
        upsert(Map.of("email", "a@x.io"));
        assertThatThrownBy(() -> core.writing.write(db, ProfileChange.ofFields("email", Map.of("email", "a@x.io")), WriteMode.INSERT, ProfileSource.API))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> core.writing.write(db, ProfileChange.ofFields("email", Map.of("email", "b@x.io")), WriteMode.UPDATE, ProfileSource.API))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void everyBadValueIsReportedAndNothingIsWritten() {
        assertThatThrownBy(() -> upsert(Map.of("email", "a@x.io", "age", "old", "tier", "platinum", "nickname", "x")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("age", "tier", "nickname"));
        assertThat(core.profiles.count("shop")).isZero();
    }

    @Test
    void subscriptionsAreNormalizedAndUpdatedInPlace() {
        ProfileChange change = new ProfileChange("email", null, Map.of("email", "a@x.io"), List.of(
                new ProfileChange.SubscriptionInput("email", "A@X.io", null, null),
                new ProfileChange.SubscriptionInput("sms", "+7 916 111 22 33", "promo", "active")), null, null);
        core.writing.write(db, change, WriteMode.UPSERT, ProfileSource.API);
        WriteResult after = core.writing.write(db, new ProfileChange("email", null, Map.of("email", "a@x.io"), List.of(
                new ProfileChange.SubscriptionInput("sms", "+79161112233", "promo", "unsubscribed")), null, null), WriteMode.UPSERT, ProfileSource.API);

        assertThat(after.profile().subscriptions()).hasSize(2);
        assertThat(after.profile().subscriptions()).anySatisfy(s -> {
            assertThat(s.channel()).isEqualTo(Channel.SMS);
            assertThat(s.resource()).isEqualTo("promo");
            assertThat(s.status()).isEqualTo(Subscription.Status.UNSUBSCRIBED);
        });
        assertThatThrownBy(() -> core.writing.write(db, new ProfileChange("email", null, Map.of("email", "a@x.io"), List.of(
                new ProfileChange.SubscriptionInput("fax", "1", null, null)), null, null), WriteMode.UPSERT, ProfileSource.API))
                .hasMessageContaining("subscriptions[0]");
    }

    @Test
    void schemaChangesAreCheckedAgainstStoredProfiles() {
        upsert(Map.of("email", "a@x.io", "name", "42"));
        upsert(Map.of("email", "b@x.io", "name", "Bob"));
        DatabaseSchema toInteger = new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(), FieldDefinition.of("name", FieldType.INTEGER)));
        assertThatThrownBy(() -> core.databases.changeSchema("shop", toInteger)).hasMessageContaining("whole number");

        DatabaseSchema uniqueName = new DatabaseSchema(List.of(
                FieldDefinition.of("email", FieldType.EMAIL).asUnique(), FieldDefinition.of("name", FieldType.STRING).asUnique()));
        core.databases.changeSchema("shop", uniqueName);
        assertThat(core.profiles.findOwner("shop", new ProfileKey("name", "Bob"))).isPresent();
        assertThat(core.profiles.find("shop", core.profiles.findOwner("shop", new ProfileKey("name", "Bob")).orElseThrow())
                .orElseThrow().fields()).doesNotContainKey("age");
    }
}
