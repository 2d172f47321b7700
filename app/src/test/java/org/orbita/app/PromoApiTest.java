package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.queues.SendQueue;
import org.orbita.sending.EmailEnvelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Promo code pools over the API as a marketer and a shop's backend use them: every problem of a
 * pool named, codes generated, added and uploaded with a report per refused row, exported,
 * attached, redeemed once (409 after), detached and expired; a message naming the pool hands each
 * send a code of its own — the same one to a retry — and is skipped, with the reason, once the
 * pool is empty; the profile's codes and events show what happened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PromoApiTest {

    @LocalServerPort
    int port;

    @Autowired
    SendQueue queue;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    int awaitCount(String segment, int expected) throws InterruptedException {
        int n = -1;
        for (int i = 0; i < 100 && n != expected; i++) {
            n = json(port, "GET", "/api/v1/segments/" + segment + "/count", null).json().get("count").asInt();
            if (n != expected) {
                Thread.sleep(100);
            }
        }
        return n;
    }

    @Test
    void aPoolIsMadeFilledExportedAndItsCodesLiveTheirLives() {
        Reply bad = json(port, "POST", "/api/v1/promo-pools", Map.of("id", "Bad Id", "kind", "lottery", "pattern", "SALE- ##",
                "validFrom", "2026-02-01T00:00:00Z", "validUntil", "2026-01-01T00:00:00Z", "source", Map.of("url", "ftp://x", "batch", 0)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).contains("application/problem+json");
        assertThat(bad.body()).contains("\"id\"");
        Reply bad2 = json(port, "POST", "/api/v1/promo-pools", Map.of("id", "bad", "kind", "lottery", "pattern", "SALE- ##",
                "validFrom", "2026-02-01T00:00:00Z", "validUntil", "2026-01-01T00:00:00Z", "source", Map.of("url", "ftp://x", "batch", 0)));
        assertThat(bad2.status()).isEqualTo(400);
        assertThat(bad2.body()).contains("\"kind\"").contains("\"pattern\"").contains("\"validUntil\"").contains("source.url").contains("source.batch");

        Reply made = json(port, "POST", "/api/v1/promo-pools", Map.of("id", "autumn", "name", "Autumn sale", "pattern", "AUT-####-XX",
                "checkDigit", true, "alertBelow", 5, "source", Map.of("url", "https://codes.example/next", "token", "t0ken")));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).doesNotContain("t0ken").contains("\"tokenSet\":true");
        assertThat(json(port, "POST", "/api/v1/promo-pools", Map.of("id", "autumn")).status()).isEqualTo(409);

        Reply generated = json(port, "POST", "/api/v1/promo-pools/autumn/generate", Map.of("count", 20));
        assertThat(generated.json().path("added").asLong()).as(generated.body()).isEqualTo(20);
        Reply tooMany = json(port, "POST", "/api/v1/promo-pools/autumn/generate", Map.of("count", 100_000_000));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("\"count\"");

        Reply added = json(port, "POST", "/api/v1/promo-pools/autumn/codes", Map.of("codes", List.of("HAND-1", "HAND-2", "HAND-1", "no spaces")));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().path("added").asLong()).isEqualTo(2);
        assertThat(added.json().path("duplicates").asLong()).isEqualTo(1);
        assertThat(added.json().path("invalid").asLong()).isEqualTo(1);
        Reply file = ApiTestSupport.multipart(port, "/api/v1/promo-pools/autumn/import", "codes.csv",
                "code\nFILE-1\nFILE-2\nHAND-2\n".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(file.status()).as(file.body()).isEqualTo(200);
        assertThat(file.json().path("added").asLong()).isEqualTo(2);
        assertThat(file.json().at("/problems/0/row").asLong()).as("the duplicate's line in the file").isEqualTo(4);
        assertThat(json(port, "GET", "/api/v1/promo-pools/autumn", null).json().at("/counts/available").asLong()).isEqualTo(24);

        Reply ann = json(port, "POST", "/api/v1/databases", Map.of("id", "promo1", "name", "Promo", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true))));
        assertThat(ann.status()).isEqualTo(201);
        String annId = json(port, "POST", "/api/v1/databases/promo1/profiles", Map.of("matching", "email", "fields", Map.of("email", "ann@p.io")))
                .json().at("/profile/id").asText();
        Reply attached = json(port, "POST", "/api/v1/promo-pools/autumn/attach", Map.of("code", "FILE-1", "database", "promo1", "profileId", annId));
        assertThat(attached.status()).as(attached.body()).isEqualTo(200);
        assertThat(attached.json().path("state").asText()).isEqualTo("issued");
        Reply taken = json(port, "POST", "/api/v1/promo-pools/autumn/attach", Map.of("code", "FILE-1", "database", "promo1", "profileId", annId));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.contentType()).contains("application/problem+json");

        Reply redeemed = json(port, "POST", "/api/v1/promo-pools/autumn/codes/FILE-1/activate", Map.of("order", "A-100"));
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        assertThat(redeemed.json().path("state").asText()).isEqualTo("redeemed");
        Reply again = json(port, "POST", "/api/v1/promo-pools/autumn/codes/FILE-1/activate", Map.of("order", "A-101"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("was redeemed").contains("A-100");
        assertThat(json(port, "POST", "/api/v1/promo-pools/autumn/codes/NOPE/activate", Map.of()).status()).isEqualTo(404);

        json(port, "POST", "/api/v1/promo-pools/autumn/attach", Map.of("code", "FILE-2", "database", "promo1", "profileId", annId));
        assertThat(json(port, "POST", "/api/v1/promo-pools/autumn/codes/FILE-2/detach", null).json().path("state").asText()).isEqualTo("available");
        assertThat(json(port, "POST", "/api/v1/promo-pools/autumn/codes/FILE-2/expire", null).json().path("state").asText()).isEqualTo("expired");
        assertThat(json(port, "GET", "/api/v1/promo-pools/autumn/codes/FILE-2", null).json().path("state").asText()).isEqualTo("expired");

        Reply mine = json(port, "GET", "/api/v1/databases/promo1/profiles/" + annId + "/promo-codes", null);
        assertThat(mine.json()).hasSize(1);
        assertThat(mine.json().get(0).path("code").asText()).isEqualTo("FILE-1");
        String history = json(port, "GET", "/api/v1/databases/promo1/profiles/" + annId + "/history", null).body();
        assertThat(history).contains("promo.issued").contains("promo.redeemed").contains("promo.detached");

        Reply page = json(port, "GET", "/api/v1/promo-pools/autumn/codes?state=available&limit=5", null);
        assertThat(page.json()).hasSize(5);
        Reply export = ApiTestSupport.send(port, "GET", "/api/v1/promo-pools/autumn/export?format=csv", ApiTestSupport.ADMIN_KEY, null, null);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body()).contains("code,state,profile_id").contains("FILE-1,redeemed," + annId).contains("HAND-1,available");
        assertThat(export.body().lines().count()).as("the header and 24 codes").isEqualTo(25);
    }

    @Test
    void aMessageHandsEachSendItsOwnCodeAndIsSkippedWhenThePoolIsEmpty() throws Exception {
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", "promo2", "name", "Promo", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        for (String who : List.of("a", "b", "c")) {
            json(port, "POST", "/api/v1/databases/promo2/profiles", Map.of("matching", "email", "fields", Map.of("email", who + "@p.io"),
                    "subscriptions", List.of(Map.of("channel", "email", "address", who + "@p.io"))));
        }
        assertThat(json(port, "POST", "/api/v1/promo-pools", Map.of("id", "gift", "name", "Gift")).status()).isEqualTo(201);
        Reply activeSegment = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "promo2", "name", "Holds a gift code",
                "definition", Map.of("type", "promo", "pool", "gift", "state", "active")));
        assertThat(activeSegment.status()).as(activeSegment.body()).isEqualTo(201);
        String active = activeSegment.json().at("/segment/id").asText();
        String redeemers = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "promo2", "name", "Used a gift code",
                "definition", Map.of("type", "promo", "pool", "gift", "state", "redeemed"))).json().at("/segment/id").asText();
        Reply badSegment = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "promo2", "name", "Bad",
                "definition", Map.of("type", "promo", "pool", "Gift!", "state", "hoarded")));
        assertThat(badSegment.status()).isEqualTo(400);
        assertThat(badSegment.body()).contains("pool").contains("state");
        json(port, "POST", "/api/v1/promo-pools/gift/codes", Map.of("codes", List.of("GIFT-1", "GIFT-2")));
        Reply message = json(port, "POST", "/api/v1/messages", Map.of("name", "Gift", "promoPool", "gift", "email", Map.of("subject", "A gift",
                "fromAddress", "shop@shop.example", "text", "Your code: {{ promo.code }}")));
        assertThat(message.status()).as(message.body()).isEqualTo(201);
        String messageId = message.json().get("id").asText();
        List<JsonNode> published = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = queue.consume("orbita.email", 100, m -> {
            JsonNode j = EmailEnvelope.read(m.body());
            if (j.path("subject").asText().equals("A gift")) {
                published.add(j);
            }
        })) {
            Map<String, Object> toA = Map.of("database", "promo2", "profile", "a@p.io", "matchBy", "email", "idempotencyKey", "gift-a");
            assertThat(json(port, "POST", "/api/v1/messages/" + messageId + "/send", toA).json().at("/results/0/state").asText()).isEqualTo("queued");
            assertThat(json(port, "POST", "/api/v1/messages/" + messageId + "/send", toA).json().at("/results/0/detail").asText())
                    .isEqualTo("already sent with this key");
            Reply toB = json(port, "POST", "/api/v1/messages/" + messageId + "/send", Map.of("database", "promo2", "profile", "b@p.io",
                    "matchBy", "email"));
            assertThat(toB.json().at("/results/0/state").asText()).isEqualTo("queued");
            Reply toC = json(port, "POST", "/api/v1/messages/" + messageId + "/send", Map.of("database", "promo2", "profile", "c@p.io",
                    "matchBy", "email"));
            assertThat(toC.json().at("/results/0/state").asText()).as(toC.body()).isEqualTo("skipped");
            assertThat(toC.json().at("/results/0/detail").asText()).isEqualTo("promo: promo code pool gift has no codes left");
            for (int i = 0; i < 50 && published.size() < 2; i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
            assertThat(published).hasSize(2);
            Set<String> texts = new HashSet<>();
            published.forEach(p -> texts.add(p.path("text").asText()));
            assertThat(texts).containsExactlyInAnyOrder("Your code: GIFT-1", "Your code: GIFT-2");
        }
        JsonNode pool = json(port, "GET", "/api/v1/promo-pools/gift", null).json();
        assertThat(pool.at("/counts/issued").asLong()).isEqualTo(2);
        assertThat(pool.at("/counts/available").asLong()).isZero();
        assertThat(awaitCount(active, 2)).as("both holders, in real time").isEqualTo(2);
        assertThat(json(port, "POST", "/api/v1/promo-pools/gift/codes/GIFT-2/activate", Map.of("order", "B-1")).status()).isEqualTo(200);
        assertThat(awaitCount(redeemers, 1)).isEqualTo(1);
        assertThat(awaitCount(active, 1)).as("the code redeemed is no longer held").isEqualTo(1);

        Reply report = json(port, "GET", "/api/v1/reports/promo?database=promo2&groupBy=pool", null);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().at("/totals/promo_issued").asInt()).as(report.body()).isEqualTo(2);
        assertThat(report.json().at("/totals/promo_redeemed").asInt()).isEqualTo(1);
        assertThat(report.json().at("/totals/promo_redeemers").asInt()).isEqualTo(1);
        assertThat(report.body()).as("the pool by its name").contains("\"Gift\"");

        Reply badMessage = json(port, "POST", "/api/v1/messages", Map.of("name", "Bad", "promoPool", "Not a pool!", "email", Map.of("subject", "x",
                "fromAddress", "shop@shop.example", "text", "x")));
        assertThat(badMessage.status()).isEqualTo(400);
        assertThat(badMessage.body()).contains("promoPool");
    }
}
