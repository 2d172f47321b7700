package org.orbita.mobile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.HistoryQuery;
import org.orbita.mobile.MobileSdk.Caller;
import org.orbita.mobile.MobileSdk.DeviceInput;
import org.orbita.mobile.MobileSdk.PushEvent;
import org.orbita.mobile.store.SqlDeviceRegistry;
import org.orbita.profiles.Channel;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.Subscription;
import org.orbita.sending.SendChannel;
import org.orbita.sending.SendKind;
import org.orbita.sending.SendLedger;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.testing.EmbeddedCore;
import org.orbita.tracking.SubscriptionMarks;

/**
 * The mobile SDK's server side: a JWT the app's backend signed names the person whose profile gets
 * the device (made when missing, source {@code push}); an app token alone subscribes the device to
 * a profile of its own, which it leaves (suspended there) when its person signs in; a refreshed token
 * takes the old one's place; pushes' events are recorded once, attributed to their campaign, and
 * only for the caller's own profile; everything a caller gets wrong is named.
 */
class MobileSdkTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    MobileSdk sdk;
    DeviceRegistry registry;

    @BeforeEach
    void open() {
        core = new EmbeddedCore(dir);
        core.databases.create("ws", "app", "App users", new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("name", FieldType.STRING))));
        registry = new SqlDeviceRegistry(new SqliteDatabase(core.sqlite));
        sdk = new MobileSdk(core.settings, registry, core.databases, core.profiles, core.writing,
                new SubscriptionMarks(core.databases, core.profiles, core.writing), new EventIngest(core.profiles, core.events, Clock.systemUTC()),
                core.ledger, Access.SYSTEM, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        core.close();
    }

    private MobileSdk.Made app() {
        return sdk.create("ws", new MobileSdk.Input("shop-app", "Shop app", "app", null, null, null, null, null));
    }

    private static String jwt(MobileSdk.Made app, String claims) throws Exception {
        return SdkTokensTest.hs256(claims, app.jwtSecret().getBytes(StandardCharsets.UTF_8));
    }

    private static String ann(MobileSdk.Made app) throws Exception {
        return jwt(app, "{\"matching\":\"email\",\"email\":\"Ann@Example.com\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
    }

    private Profile profile(String id) {
        return core.profiles.find("app", id).orElseThrow();
    }

    private List<Event> history(String profileId, String... types) {
        return core.events.history(new HistoryQuery("app", profileId, Set.of(types), null, null, null, null, null, 50));
    }

    @Test
    void aJwtNamesThePersonWhoseProfileGetsTheDeviceAndARefreshedTokenTakesTheOldOnesPlace() throws Exception {
        MobileSdk.Made app = app();
        assertThat(app.appToken()).startsWith("oat_");
        assertThat(app.jwtSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(app.app().matching()).containsExactly("email", "id");
        assertThat(app.app().path()).isEqualTo("/t/sdk/ws/shop-app");
        Caller caller = new Caller(ann(app), null);
        MobileSdk.Subscribed s = sdk.subscribe("ws", "shop-app", caller, new DeviceInput("FCM", "tok-1", "android", "5.2.0", null,
                Map.of("name", "Ann")), Subscription.Status.ACTIVE);
        assertThat(s.created()).isTrue();
        assertThat(s.address()).isEqualTo("fcm:tok-1");
        Profile ann = profile(s.profileId());
        assertThat(ann.fields()).containsEntry("email", "ann@example.com").containsEntry("name", "Ann");
        assertThat(ann.subscriptions()).singleElement().satisfies(x -> {
            assertThat(x.channel()).isEqualTo(Channel.PUSH);
            assertThat(x.status()).isEqualTo(Subscription.Status.ACTIVE);
        });
        assertThat(history(ann.id(), "profile.created", "subscription.subscribed")).hasSize(2)
                .allSatisfy(e -> assertThat(e.properties().get("source")).isEqualTo("push"));
        // the same device again: nothing new
        assertThat(sdk.subscribe("ws", "shop-app", caller, new DeviceInput("fcm", "tok-1", "android", "5.2.1", null, null),
                Subscription.Status.ACTIVE).created()).isFalse();
        // the token refreshed: the subscription keeps its place, only its address changes; no new subscriber is counted
        MobileSdk.Subscribed refreshed = sdk.subscribe("ws", "shop-app", caller, new DeviceInput("fcm", "tok-2", "android", "5.2.1",
                new MobileSdk.Replaces("fcm", "tok-1"), null), Subscription.Status.ACTIVE);
        assertThat(refreshed.profileId()).isEqualTo(ann.id());
        assertThat(profile(ann.id()).subscriptions()).singleElement().satisfies(x -> assertThat(x.address()).isEqualTo("fcm:tok-2"));
        assertThat(history(ann.id(), "subscription.subscribed")).hasSize(1);
        assertThat(registry.find("ws", "shop-app", "fcm:tok-1")).isEmpty();
        assertThat(registry.find("ws", "shop-app", "fcm:tok-2")).get().satisfies(d -> {
            assertThat(d.profileId()).isEqualTo(ann.id());
            assertThat(d.appVersion()).isEqualTo("5.2.1");
        });
        // suspended, then unsubscribed, by the app
        assertThat(sdk.subscribe("ws", "shop-app", caller, new DeviceInput("fcm", "tok-2", null, null, null, null), Subscription.Status.SUSPENDED)
                .status()).isEqualTo("suspended");
        assertThat(sdk.subscribe("ws", "shop-app", caller, new DeviceInput("fcm", "tok-2", null, null, null, null),
                Subscription.Status.UNSUBSCRIBED).status()).isEqualTo("unsubscribed");
        assertThat(history(ann.id(), "subscription.unsubscribed")).singleElement()
                .satisfies(e -> assertThat(e.properties().get("previous")).isEqualTo("suspended"));
        assertThat(sdk.devicesOf("app", ann.id())).extracting(DeviceRegistry.Device::address).containsExactly("fcm:tok-2");
        assertThat(sdk.get("ws", "shop-app").devices()).isEqualTo(1);
    }

    @Test
    void anAppTokenSubscribesTheDeviceAloneAndTheDeviceMovesWhenItsPersonSignsIn() throws Exception {
        MobileSdk.Made app = app();
        Caller anonymous = new Caller(null, app.appToken());
        MobileSdk.Subscribed a = sdk.subscribe("ws", "shop-app", anonymous, new DeviceInput("apns", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "ios", null,
                null, null), Subscription.Status.ACTIVE);
        assertThat(a.created()).isTrue();
        assertThat(profile(a.profileId()).fields()).isEmpty();
        assertThat(sdk.subscribe("ws", "shop-app", anonymous, new DeviceInput("apns", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "ios", null, null, null),
                Subscription.Status.ACTIVE).profileId()).as("found by its token").isEqualTo(a.profileId());
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", anonymous, new DeviceInput("apns", "a1b2c3d4e5f60718293a4b5c6d7e8f90", null, null,
                null, Map.of("email", "mallory@example.com")), Subscription.Status.ACTIVE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("fields").hasMessageContaining("need a JWT");
        // Ann signs in on that phone
        MobileSdk.Subscribed signedIn = sdk.subscribe("ws", "shop-app", new Caller(ann(app), null),
                new DeviceInput("apns", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "ios", null, null, null), Subscription.Status.ACTIVE);
        assertThat(signedIn.profileId()).isNotEqualTo(a.profileId());
        assertThat(profile(a.profileId()).subscriptions()).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(Subscription.Status.SUSPENDED));
        assertThat(profile(signedIn.profileId()).subscriptions()).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(Subscription.Status.ACTIVE));
        assertThat(registry.find("ws", "shop-app", "apns:a1b2c3d4e5f60718293a4b5c6d7e8f90").orElseThrow().profileId()).isEqualTo(signedIn.profileId());
        // from now on the app token's calls reach Ann's profile through the device
        assertThat(sdk.subscribe("ws", "shop-app", anonymous, new DeviceInput("apns", "a1b2c3d4e5f60718293a4b5c6d7e8f90", null, null, null, null),
                Subscription.Status.ACTIVE).profileId()).isEqualTo(signedIn.profileId());
    }

    @Test
    void aPushsEventsAreRecordedOnceWithTheirCampaignAndOnlyForTheCallersOwnProfile() throws Exception {
        MobileSdk.Made app = app();
        Caller anns = new Caller(ann(app), null);
        String annId = sdk.subscribe("ws", "shop-app", anns, new DeviceInput("fcm", "tok-ann", null, null, null, null), Subscription.Status.ACTIVE)
                .profileId();
        String bobId = sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"sub\":\"bob@example.com\",\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}"), null), new DeviceInput("fcm", "tok-bob", null, null, null, null),
                Subscription.Status.ACTIVE).profileId();
        SendLedger.Run run = new SendLedger.Run("run-7", SendKind.CAMPAIGN, "ws", "app", "spring-sale", null);
        core.ledger.reserve(run, List.of(SendLedger.Entry.pending(annId, SendChannel.PUSH, "fcm:tok-ann"),
                SendLedger.Entry.pending(bobId, SendChannel.PUSH, "fcm:tok-bob")));
        String annsKey = "run-7/" + annId + "/push";
        Instant at = Instant.now().minusSeconds(30);
        List<PushEvent> events = List.of(
                new PushEvent("e-1", "delivered", annsKey, null, null, null, null, at),
                new PushEvent("e-2", "opened", annsKey, null, null, null, null, at.plusSeconds(5)),
                new PushEvent("e-3", "button_clicked", annsKey, null, null, "Shop now", "https://shop.example/sale", at.plusSeconds(6)),
                new PushEvent("e-4", "dismissed", annsKey, null, null, null, null, at.plusSeconds(7)),
                new PushEvent("e-5", "opened", "run-7/" + bobId + "/push", null, null, null, null, null),
                new PushEvent("e-6", "opened", "run-404/" + annId + "/push", null, null, null, null, null),
                new PushEvent("e-7", "shaken", annsKey, null, null, null, null, null),
                new PushEvent("e-8", "opened", SendKind.TEST_RUN_PREFIX + "x/" + annId + "/push", null, null, null, null, null));
        MobileSdk.EventsOutcome o = sdk.events("ws", "shop-app", anns, events);
        assertThat(o.accepted()).isEqualTo(4);
        assertThat(o.rejected()).extracting(MobileSdk.Rejected::index).containsExactly(4, 5, 6);
        assertThat(o.rejected().get(0).errors().toString()).contains("another profile");
        assertThat(o.rejected().get(1).errors().toString()).contains("no push of this app's database has this key");
        assertThat(o.rejected().get(2).errors().toString()).contains("delivered, opened, dismissed or button_clicked");
        assertThat(history(annId, "message.receipt", "message.opened", "message.clicked", "push.dismissed")).hasSize(4)
                .allSatisfy(e -> {
                    assertThat(e.channel()).isEqualTo("push");
                    assertThat(e.properties()).containsEntry("campaign", "spring-sale").containsEntry("run", "run-7");
                });
        assertThat(history(annId, "message.clicked")).singleElement().satisfies(e -> assertThat(e.properties())
                .containsEntry("button", "Shop now").containsEntry("url", "https://shop.example/sale").containsEntry("machine", false));
        assertThat(history(bobId, "message.opened")).isEmpty();
        // sent again (the phone was offline when the answer came): counted once
        MobileSdk.EventsOutcome again = sdk.events("ws", "shop-app", anns, events.subList(0, 2));
        assertThat(again.accepted()).isZero();
        assertThat(again.repeated()).isEqualTo(2);
        assertThat(history(annId, "message.opened")).hasSize(1);
        // with the app token, the device's token says whose push it is
        MobileSdk.EventsOutcome byDevice = sdk.events("ws", "shop-app", new Caller(null, app.appToken()), List.of(
                new PushEvent("e-9", "opened", "run-7/" + bobId + "/push", "fcm", "tok-bob", null, null, null),
                new PushEvent("e-10", "opened", "run-7/" + bobId + "/push", "fcm", "tok-ann", null, null, null),
                new PushEvent("e-11", "opened", "run-7/" + bobId + "/push", "fcm", "tok-nobody", null, null, null)));
        assertThat(byDevice.accepted()).isEqualTo(1);
        assertThat(byDevice.rejected()).extracting(MobileSdk.Rejected::index).containsExactly(1, 2);
        assertThat(history(bobId, "message.opened")).singleElement().satisfies(e -> assertThat(e.properties()).containsEntry("campaign", "spring-sale"));
    }

    @Test
    void callsTheAppDoesNotLetThroughAreRefusedWithTheirReason() throws Exception {
        MobileSdk.Made app = app();
        DeviceInput device = new DeviceInput("fcm", "tok-1", null, null, null, null);
        assertThatThrownBy(() -> sdk.subscribe("ws", "other", new Caller(null, app.appToken()), device, Subscription.Status.ACTIVE))
                .isInstanceOfSatisfying(MobileSdk.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(null, "oat_guess"), device, Subscription.Status.ACTIVE))
                .isInstanceOfSatisfying(MobileSdk.Refused.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(null, null), device, Subscription.Status.ACTIVE))
                .hasMessageContaining("X-App-Token");
        long past = Instant.now().getEpochSecond() - 3600;
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"sub\":\"ann@example.com\",\"exp\":" + past + "}"), null),
                device, Subscription.Status.ACTIVE)).isInstanceOfSatisfying(MobileSdk.Refused.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("expired");
                });
        long exp = Instant.now().getEpochSecond() + 600;
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"matching\":\"name\",\"name\":\"Ann\",\"exp\":" + exp + "}"),
                null), device, Subscription.Status.ACTIVE)).hasMessageContaining("name a person by [email, id], not 'name'");
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"sub\":\"ann@example.com\",\"aud\":\"other-app\",\"exp\":"
                + exp + "}"), null), device, Subscription.Status.ACTIVE)).hasMessageContaining("another audience");
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"matching\":\"id\",\"sub\":\"p-404\",\"exp\":" + exp + "}"),
                null), device, Subscription.Status.ACTIVE)).isInstanceOfSatisfying(MobileSdk.Refused.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(null, app.appToken()), new DeviceInput("gcm", " ", null, null, null, null),
                Subscription.Status.ACTIVE)).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(org.orbita.common.FieldError::field).containsExactly("provider", "token"));
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(jwt(app, "{\"sub\":\"not-an-email\",\"exp\":" + exp + "}"), null), device,
                Subscription.Status.ACTIVE)).isInstanceOf(InvalidInputException.class).hasMessageContaining("email");
        sdk.update("ws", "shop-app", new MobileSdk.Input(null, null, null, null, null, null, null, false));
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(null, app.appToken()), device, Subscription.Status.ACTIVE))
                .isInstanceOfSatisfying(MobileSdk.Refused.class, e -> assertThat(e.status()).isEqualTo(403));
        // a rotated token: the old one stops working
        sdk.update("ws", "shop-app", new MobileSdk.Input(null, null, null, null, null, null, null, true));
        String fresh = sdk.rotateAppToken("ws", "shop-app").appToken();
        assertThatThrownBy(() -> sdk.subscribe("ws", "shop-app", new Caller(null, app.appToken()), device, Subscription.Status.ACTIVE))
                .hasMessageContaining("not this app's");
        assertThat(sdk.subscribe("ws", "shop-app", new Caller(null, fresh), device, Subscription.Status.ACTIVE).created()).isTrue();
        assertThat(core.profiles.findOwner("app", new ProfileKey("email", "ann@example.com"))).isEmpty();
    }

    @Test
    void anAppsSettingsAreCheckedAndItsSecretsNeverShownAgain() throws Exception {
        assertThatThrownBy(() -> sdk.create("ws", new MobileSdk.Input("Bad Id", "", "nope", null, List.of("name"), "RS256", null, null)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(org.orbita.common.FieldError::field)
                        .containsExactly("id"));
        assertThatThrownBy(() -> sdk.create("ws", new MobileSdk.Input("ok", "", "nope", null, null, "RS256", null, null)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(org.orbita.common.FieldError::field)
                        .containsExactly("name", "database", "jwtPublicKey"));
        assertThatThrownBy(() -> sdk.create("ws", new MobileSdk.Input("ok", "Ok", "app", null, List.of("name"), "PS512", null, null)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(org.orbita.common.FieldError::field)
                        .containsExactly("matching", "jwtAlgorithm"));
        java.security.KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
        MobileSdk.Made made = sdk.create("ws", new MobileSdk.Input("rsa-app", "RSA app", "app", "news", List.of("email"), "rs256",
                SdkTokensTest.pem(rsa.getPublic().getEncoded()), null));
        assertThat(made.jwtSecret()).as("RS256 has no shared secret").isNull();
        assertThat(made.app().jwtAlgorithm()).isEqualTo("RS256");
        String token = SdkTokensTest.sign("RS256", "{\"sub\":\"cid@example.com\",\"exp\":" + (Instant.now().getEpochSecond() + 60) + "}",
                rsa.getPrivate());
        MobileSdk.Subscribed cid = sdk.subscribe("ws", "rsa-app", new Caller(token, null), new DeviceInput("hms", "h-1", null, null, null, null),
                Subscription.Status.ACTIVE);
        assertThat(profile(cid.profileId()).subscriptions()).singleElement().satisfies(s -> assertThat(s.resource()).isEqualTo("news"));
        assertThatThrownBy(() -> sdk.rotateJwtSecret("ws", "rsa-app")).hasMessageContaining("only an HS256 app has a secret");
        sdk.delete("ws", "rsa-app");
        assertThat(registry.count("ws", "rsa-app")).isZero();
    }
}
