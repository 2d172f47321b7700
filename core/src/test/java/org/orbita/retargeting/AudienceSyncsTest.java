package org.orbita.retargeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.access.Access;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.outbound.NetworkGuard;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.WriteMode;
import org.orbita.retargeting.store.SqlSyncedMembers;
import org.orbita.storage.sql.SqliteDatabase;
import org.orbita.testing.EmbeddedCore;

/**
 * Segments kept in advertising audiences, against servers on loopback that speak Meta's Graph
 * API, Yandex Audiences' management API and Google Ads' REST API with their answers and errors:
 * identifiers normalised and hashed as the platforms publish; a first sync adds everyone with
 * consent and an identifier (the minimum size warned about); later ones send only the difference —
 * who left or lost consent removed, who changed their email removed and added again, who joined
 * added; a refusal leaves the record as it was, so the next run applies it; credentials never shown.
 */
class AudienceSyncsTest {

    @TempDir
    Path dir;
    EmbeddedCore core;
    AudienceSyncs syncs;
    final TreeSet<String> segment = new TreeSet<>();
    HttpServer server;
    final List<String[]> calls = new CopyOnWriteArrayList<>();
    final AtomicReference<String> metaFailure = new AtomicReference<>();
    final AtomicReference<String> vkFailure = new AtomicReference<>();
    int vkLists = 700;
    int googlePolls;

    @BeforeEach
    void open() throws Exception {
        core = new EmbeddedCore(dir);
        core.databases.create("ws", "shop", "Shop", new DatabaseSchema(List.of(FieldDefinition.of("email", FieldType.EMAIL).asUnique(),
                FieldDefinition.of("phone", FieldType.PHONE), FieldDefinition.of("ads_ok", FieldType.BOOLEAN))));
        AudienceSyncs.SegmentSource source = new AudienceSyncs.SegmentSource() {
            @Override
            public Optional<String> databaseOf(String segmentId) {
                return segmentId.equals("buyers") ? Optional.of("shop") : Optional.empty();
            }

            @Override
            public List<String> members(String segmentId, String after, int limit) {
                return (after == null ? segment : segment.tailSet(after, false)).stream().limit(limit).toList();
            }
        };
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = x.getRequestURI().toString();
            calls.add(new String[] {x.getRequestMethod(), path, body, String.valueOf(x.getRequestHeaders().getFirst("Authorization")),
                    String.valueOf(x.getRequestHeaders().getFirst("developer-token"))});
            int status = 200;
            String answer;
            if (path.startsWith("/meta/")) {
                Map<String, String> form = form(body);
                if (metaFailure.get() != null) {
                    status = 400;
                    answer = metaFailure.get();
                } else {
                    int rows = Json.read(form.get("payload"), JsonNode.class).path("data").size();
                    answer = "{\"audience_id\":\"23850000\",\"session_id\":\"9778993\",\"num_received\":" + rows
                            + ",\"num_invalid_entries\":0,\"invalid_entry_samples\":{}}";
                }
            } else if (path.equals("/vk/api/v3/remarketing/users_lists.json") && x.getRequestMethod().equals("POST")) {
                if (vkFailure.get() != null) {
                    status = 503;
                    answer = vkFailure.get();
                } else if (!x.getRequestHeaders().getFirst("Content-Type").startsWith("multipart/form-data; boundary=")) {
                    status = 400;
                    answer = "{\"error\":{\"code\":\"bad_request\",\"message\":\"multipart expected\"}}";
                } else {
                    vkLists++;
                    answer = "{\"id\":" + vkLists + ",\"status\":\"receiving\",\"name\":\"Buyers\",\"type\":\"email\",\"entries_count\":0}";
                }
            } else if (path.startsWith("/vk/api/v3/remarketing/users_lists/") && x.getRequestMethod().equals("DELETE")) {
                status = 204;
                answer = "";
            } else if (path.startsWith("/yandex/v1/management/segments/upload_csv_file")) {
                answer = "{\"segment\":{\"id\":4242,\"type\":\"uploading\",\"status\":\"uploaded\",\"hashed\":false,\"item_quantity\":0}}";
            } else if (path.startsWith("/yandex/v1/management/segment/4242/confirm")) {
                answer = "{\"segment\":{\"id\":4242,\"name\":\"Buyers\",\"type\":\"uploading\",\"status\":\"is_processed\",\"hashed\":true,"
                        + "\"content_type\":\"crm\"}}";
            } else if (path.startsWith("/yandex/v1/management/segment/4242/modify_data")) {
                answer = "{\"segment\":{\"id\":4242,\"status\":\"is_processed\"}}";
            } else if (path.startsWith("/google/token")) {
                answer = "{\"access_token\":\"ya29.test\",\"expires_in\":3599,\"token_type\":\"Bearer\"}";
            } else if (path.endsWith("/offlineUserDataJobs:create")) {
                answer = "{\"resourceName\":\"customers/1234567890/offlineUserDataJobs/77\"}";
            } else if (path.endsWith(":addOperations")) {
                answer = "{}";
            } else if (path.endsWith(":run")) {
                answer = "{\"name\":\"customers/1234567890/operations/abc\"}";
            } else if (path.endsWith("googleAds:search")) {
                answer = "{\"results\":[{\"offlineUserDataJob\":{\"resourceName\":\"customers/1234567890/offlineUserDataJobs/77\",\"status\":\""
                        + (googlePolls++ == 0 ? "RUNNING" : "SUCCESS") + "\"}}],\"fieldMask\":\"offlineUserDataJob.status\"}";
            } else {
                status = 404;
                answer = "{\"error\":\"no such call\"}";
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        NetworkGuard guard = new NetworkGuard(false, List.of("127.0.0.1"));
        AudienceSyncs.Destinations real = AudienceSyncs.platforms(guard);
        // Google's job is polled every 10 ms here instead of 5 s
        AudienceSyncs.Destinations destinations = s -> s.destination().equals("google") ? new GoogleCustomerMatch(new GoogleCustomerMatch.Settings(
                AudienceSyncs.effective(s).get("apiUrl"), AudienceSyncs.effective(s).get("tokenUrl"), s.settings().get("customerId"),
                s.settings().get("userListId"), s.settings().get("developerToken"), s.settings().get("clientId"), s.settings().get("clientSecret"),
                s.settings().get("refreshToken"), null), guard, java.time.Duration.ofMillis(10), 5) : real.of(s);
        syncs = new AudienceSyncs(core.settings, new SqlSyncedMembers(new SqliteDatabase(core.sqlite)), core.databases, core.profiles, source,
                destinations, Access.SYSTEM, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        server.stop(0);
        core.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** A client in the segment with an email subscription (consent) and optionally a phone. */
    private String client(String email, String phone, String status) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("email", email);
        if (phone != null) {
            fields.put("phone", phone);
        }
        String id = core.writing.write(core.databases.get("shop"), new ProfileChange("email", email, fields,
                List.of(new ProfileChange.SubscriptionInput("email", email, null, status)), null, null), WriteMode.UPSERT, ProfileSource.API)
                .profile().id();
        segment.add(id);
        return id;
    }

    private List<String[]> callsTo(String prefix) {
        return calls.stream().filter(c -> c[1].startsWith(prefix)).toList();
    }

    @Test
    void identifiersAreNormalisedAndHashedAsThePlatformsPublish() {
        // TikTok's customer-file guide publishes this email's SHA-256; the same rule (trim, lower-case) is Meta's, Google's and Yandex's
        assertThat(Identifiers.sha256(Identifiers.email("  JaneDoe@Gmail.com "))).isEqualTo("d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69");
        // X's Ads API publishes sha256("adsapi"): lower-case hex
        assertThat(Identifiers.sha256("adsapi")).isEqualTo("49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d");
        // a phone as digits with its country code (Meta, Yandex) or in E.164 with + (Google); values from coreutils' sha256sum
        assertThat(Identifiers.phoneDigits("+7 (916) 123-45-67")).isEqualTo("79161234567");
        assertThat(Identifiers.sha256(Identifiers.phoneDigits("+7-916-123-45-67"))).isEqualTo("1210f4f193f6032e91cd7117a785a1be09550d79076c4717cdae4c0c45691a30");
        assertThat(Identifiers.sha256(Identifiers.phoneE164("+7 916 123-45-67"))).isEqualTo("c795313d1a25fea4e552388ce7fb6102f550187a1132baa53b9872e5236dd8c6");
        assertThat(Identifiers.email("not an email")).isNull();
        assertThat(Identifiers.phoneDigits("call me")).isNull();
    }

    @Test
    void aSegmentIsKeptInAMetaAudienceByItsDifferencesOnly() {
        String ann = client("Ann@Example.com", null, "active");
        String bob = client("bob@example.com", "+79001112233", "active");
        client("cid@example.com", null, "unsubscribed");
        assertThatThrownBy(() -> syncs.create("ws", new AudienceSyncs.Input("meta", "Buyers", "shop", "nope", "tiktok", Map.of("x", "y"), null, null,
                null, 5, null))).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .contains("segment", "destination", "everyMinutes"));
        assertThatThrownBy(() -> syncs.create("ws", new AudienceSyncs.Input("meta", "Buyers", "shop", "buyers", "meta", Map.of("audienceId", "1"), null,
                null, null, null, null))).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("settings.accessToken"));
        AudienceSyncs.View v = syncs.create("ws", new AudienceSyncs.Input("meta", "Buyers", "shop", "buyers", "meta", Map.of("audienceId", "23850000",
                "accessToken", "EAAB-secret-token", "apiUrl", base() + "/meta"), null, null, null, null, null));
        assertThat(v.settings().get("accessToken")).isEqualTo(Map.of("set", true));
        assertThat(Json.write(v)).doesNotContain("EAAB-secret-token");

        AudienceSyncs.Run first = syncs.run("ws", "meta");
        assertThat(first.state()).as(first.toString()).isEqualTo("warning");
        assertThat(first.warning()).contains("2 people").contains("100 or more");
        assertThat(first.added()).isEqualTo(2);
        assertThat(first.withoutConsent()).isEqualTo(1);
        String[] post = callsTo("/meta/").get(0);
        assertThat(post[0]).isEqualTo("POST");
        assertThat(post[1]).isEqualTo("/meta/23850000/users");
        Map<String, String> f = form(post[2]);
        assertThat(f.get("access_token")).isEqualTo("EAAB-secret-token");
        JsonNode payload = Json.read(f.get("payload"), JsonNode.class);
        assertThat(payload.get("schema").toString()).isEqualTo("[\"EMAIL_SHA256\",\"PHONE_SHA256\"]");
        assertThat(payload.get("data").toString()).contains("[\"71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476\",\"\"]")
                .contains("[\"5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018\",\"9165726d3f35c1378af8027bf89682282429be1648eb8e060a2c50743456965e\"]");

        // Ann leaves, Bob's email changes, Eve joins: Ann and Bob's old row removed, Bob's new one and Eve added
        segment.remove(ann);
        core.writing.write(core.databases.get("shop"), new ProfileChange("id", bob, Map.of("email", "bob@new.example"),
                List.of(new ProfileChange.SubscriptionInput("email", "bob@new.example", null, "active")), null, null), WriteMode.UPDATE, ProfileSource.API);
        client("eve@example.com", null, "active");
        calls.clear();
        AudienceSyncs.Run second = syncs.run("ws", "meta");
        assertThat(second.added()).isEqualTo(2);
        assertThat(second.removed()).isEqualTo(2);
        assertThat(callsTo("/meta/")).extracting(c -> c[0]).containsExactly("DELETE", "POST");
        JsonNode removed = Json.read(form(callsTo("/meta/").get(0)[2]).get("payload"), JsonNode.class).get("data");
        assertThat(removed.toString()).contains("71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476")
                .contains("5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018");
        calls.clear();
        assertThat(syncs.run("ws", "meta").added()).as("nothing changed").isZero();
        assertThat(callsTo("/meta/")).isEmpty();

        // Meta refuses (an expired token): the run fails with Meta's words and the next one sends the same difference
        client("fay@example.com", null, "active");
        metaFailure.set("{\"error\":{\"message\":\"Error validating access token: Session has expired\",\"type\":\"OAuthException\",\"code\":190,"
                + "\"error_subcode\":463,\"fbtrace_id\":\"AbC\"}}");
        AudienceSyncs.Run failed = syncs.run("ws", "meta");
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo("Meta error 190: Error validating access token: Session has expired");
        metaFailure.set("{\"error\":{\"message\":\"User request limit reached\",\"type\":\"OAuthException\",\"code\":17}}");
        assertThat(syncs.run("ws", "meta").error()).endsWith("(tried again at the next run)");
        metaFailure.set(null);
        assertThat(syncs.run("ws", "meta").added()).isEqualTo(1);
        assertThat(syncs.get("ws", "meta").synced()).isEqualTo(3);
        assertThat(syncs.get("ws", "meta").lastRun().state()).isEqualTo("warning");
    }

    @Test
    void vkAdsGetsTheWholeListAsANewFileWhenItChangedAndTheOldListDeleted() {
        String ann = client("ann@example.com", "+79001112233", "active");
        client("bob@example.com", null, "active");
        client("cid@example.com", null, "unsubscribed"); // no consent: left out
        assertThatThrownBy(() -> syncs.create("ws", new AudienceSyncs.Input("bad", "Buyers", "shop", "buyers", "vk", Map.of("accessToken", "vk1.a.x",
                "type", "ok"), null, null, null, null, null)).toString()).isInstanceOf(InvalidInputException.class);
        syncs.create("ws", new AudienceSyncs.Input("vk", "Buyers", "shop", "buyers", "vk", Map.of("accessToken", "vk1.a.secret-token",
                "apiUrl", base() + "/vk"), null, null, null, null, null));
        AudienceSyncs.Run first = syncs.run("ws", "vk");
        assertThat(first.added()).isEqualTo(2);
        assertThat(first.warning()).contains("2000");
        List<String[]> vk = callsTo("/vk/");
        assertThat(vk).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo("POST");
            assertThat(c[3]).isEqualTo("Bearer vk1.a.secret-token");
            assertThat(c[2]).contains("name=\"type\"\r\n\r\nemail\r\n").contains("name=\"name\"\r\n\r\nBuyers (2)\r\n")
                    .contains("filename=\"audience.txt\"")
                    // ann@example.com and bob@example.com, hashed: one a line
                    .contains(Identifiers.sha256("ann@example.com") + "\n").contains(Identifiers.sha256("bob@example.com") + "\n")
                    .doesNotContain(Identifiers.sha256("cid@example.com")).doesNotContain("ann@example.com");
        });
        assertThat(syncs.get("ws", "vk").settings().get("usersListId")).isEqualTo("701");
        assertThat(Json.write(syncs.get("ws", "vk"))).doesNotContain("vk1.a.secret-token");

        // nothing changed: nothing uploaded
        calls.clear();
        assertThat(syncs.run("ws", "vk").added()).isZero();
        assertThat(callsTo("/vk/")).isEmpty();

        // Ann leaves; VK is down: the run fails and the upload is owed to the next run
        segment.remove(ann);
        vkFailure.set("{\"error\":{\"code\":\"internal_error\",\"message\":\"Service unavailable\"}}");
        AudienceSyncs.Run down = syncs.run("ws", "vk");
        assertThat(down.state()).isEqualTo("failed");
        assertThat(down.error()).contains("VK Ads HTTP 503: Service unavailable").contains("tried again");
        vkFailure.set(null);
        calls.clear();
        AudienceSyncs.Run again = syncs.run("ws", "vk");
        assertThat(again.state()).isNotEqualTo("failed");
        assertThat(callsTo("/vk/")).extracting(c -> c[0] + " " + c[1]).containsExactly("POST /vk/api/v3/remarketing/users_lists.json",
                "DELETE /vk/api/v3/remarketing/users_lists/701.json");
        assertThat(callsTo("/vk/").get(0)[2]).contains(Identifiers.sha256("bob@example.com")).doesNotContain(Identifiers.sha256("ann@example.com"));
        assertThat(syncs.get("ws", "vk").settings().get("usersListId")).isEqualTo("702");
        calls.clear();
        syncs.run("ws", "vk");
        assertThat(callsTo("/vk/")).as("the owed upload was made").isEmpty();
    }

    @Test
    void yandexGetsASegmentMadeConfirmedAndThenModifiedAndGoogleAJobRun() {
        client("ann@example.com", "+79001112233", "active");
        syncs.create("ws", new AudienceSyncs.Input("ya", "Buyers", "shop", "buyers", "yandex", Map.of("token", "y0_AgAAAA", "apiUrl", base() + "/yandex"),
                null, null, null, null, null));
        assertThat(syncs.run("ws", "ya").added()).isEqualTo(1);
        List<String[]> ya = callsTo("/yandex/");
        assertThat(ya).extracting(c -> c[1]).containsExactly("/yandex/v1/management/segments/upload_csv_file", "/yandex/v1/management/segment/4242/confirm");
        assertThat(ya.get(0)[3]).isEqualTo("OAuth y0_AgAAAA");
        assertThat(ya.get(0)[2]).contains("\"email\",\"phone\"").contains("\"71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476\","
                + "\"9165726d3f35c1378af8027bf89682282429be1648eb8e060a2c50743456965e\"");
        JsonNode confirm = Json.read(ya.get(1)[2], JsonNode.class).get("segment");
        assertThat(confirm.get("hashed").asBoolean()).isTrue();
        assertThat(confirm.get("content_type").asText()).isEqualTo("crm");
        assertThat(syncs.get("ws", "ya").settings().get("segmentId")).isEqualTo("4242");
        client("bob@example.com", null, "active");
        calls.clear();
        syncs.run("ws", "ya");
        assertThat(callsTo("/yandex/")).extracting(c -> c[1]).containsExactly("/yandex/v1/management/segment/4242/modify_data?modification_type=addition");

        syncs.create("ws", new AudienceSyncs.Input("gads", "Buyers", "shop", "buyers", "google", Map.of("customerId", "1234567890", "userListId", "555",
                "developerToken", "dev-token", "clientId", "cid.apps.googleusercontent.com", "clientSecret", "GOCSPX-s", "refreshToken", "1//rt",
                "apiUrl", base() + "/google/v18", "tokenUrl", base() + "/google/token"), null, null, null, null, null));
        calls.clear();
        AudienceSyncs.Run g = syncs.run("ws", "gads");
        assertThat(g.added()).isEqualTo(2);
        assertThat(g.platformStatus()).isEqualTo("SUCCESS");
        List<String[]> google = callsTo("/google/");
        assertThat(google).extracting(c -> c[1]).containsExactly("/google/token", "/google/v18/customers/1234567890/offlineUserDataJobs:create",
                "/google/v18/customers/1234567890/offlineUserDataJobs/77:addOperations", "/google/v18/customers/1234567890/offlineUserDataJobs/77:run",
                "/google/v18/customers/1234567890/googleAds:search", "/google/v18/customers/1234567890/googleAds:search");
        assertThat(form(google.get(0)[2])).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", "1//rt");
        assertThat(google.get(1)[3]).isEqualTo("Bearer ya29.test");
        assertThat(google.get(1)[4]).isEqualTo("dev-token");
        JsonNode job = Json.read(google.get(1)[2], JsonNode.class).at("/job/customerMatchUserListMetadata");
        assertThat(job.get("userList").asText()).isEqualTo("customers/1234567890/userLists/555");
        assertThat(job.at("/consent/adUserData").asText()).isEqualTo("GRANTED");
        JsonNode ops = Json.read(google.get(2)[2], JsonNode.class).get("operations");
        assertThat(ops).hasSize(2);
        // Google takes the phone in E.164 with its +
        assertThat(ops.toString()).contains("\"hashedPhoneNumber\":\"3732f492b3cd1bc41458dc5918c03a340daa4c4793e898eee585ac19203644cc\"")
                .contains("\"hashedEmail\":\"5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018\"");
    }
}
