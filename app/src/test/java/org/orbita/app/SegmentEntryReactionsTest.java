package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.queues.SendQueue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A profile change that puts a profile into a segment reaches what reacts to segment entries:
 * the trigger campaign "on entering the segment" queues its message, and the journey entered
 * "by segment" starts an instance — through the running app, over the API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SegmentEntryReactionsTest {

    @LocalServerPort
    int port;

    @Autowired
    SendQueue queue;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    @Test
    void enteringASegmentFiresItsTriggerCampaignAndStartsItsJourney() throws Exception {
        Reply db = json(port, "POST", "/api/v1/databases", Map.of("id", "vip", "name", "VIP", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true), Map.of("name", "tier", "type", "string"))));
        assertThat(db.status()).as(db.body()).isEqualTo(201);
        Reply seg = json(port, "POST", "/api/v1/segments", Map.of("databaseId", "vip", "name", "Gold",
                "definition", Map.of("type", "group", "match", "all", "conditions",
                        List.of(Map.of("type", "field", "field", "tier", "op", "eq", "value", "gold")))));
        assertThat(seg.status()).as(seg.body()).isEqualTo(201);
        String segment = seg.json().at("/segment/id").asText();
        Reply msg = json(port, "POST", "/api/v1/messages", Map.of("name", "Welcome to gold", "email", Map.of(
                "subject", "Welcome to gold, {{ profile.email }}", "fromAddress", "club@shop.example", "text", "You are gold now")));
        assertThat(msg.status()).as(msg.body()).isEqualTo(201);
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Gold welcome", "type", "trigger", "database", "vip",
                "messageId", msg.json().get("id").asText(), "trigger", Map.of("segment", segment)));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        Reply journey = json(port, "POST", "/api/v1/journeys", Map.of("name", "Gold path", "databaseId", "vip", "journey", Map.of(
                "nodes", List.of(Map.of("id", "start", "type", "start", "name", "start", "settings", Map.of("entry", "segment", "segment", segment)),
                        Map.of("id", "end", "type", "exit", "name", "end", "settings", Map.of())),
                "links", List.of(Map.of("from", "start", "to", "end")))));
        assertThat(journey.status()).as(journey.body()).isEqualTo(201);
        String journeyId = journey.json().at("/definition/id").asText();
        assertThat(json(port, "POST", "/api/v1/journeys/" + journeyId + "/publish", null).status()).isEqualTo(200);
        Thread.sleep(2_500); // live trigger campaigns are looked up again every two seconds

        List<JsonNode> mail = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = ApiTestSupport.campaignMail(queue, campaignId, mail)) {
            Reply created = json(port, "POST", "/api/v1/databases/vip/profiles", Map.of("matching", "email",
                    "fields", Map.of("email", "ann@shop.example", "tier", "silver"),
                    "subscriptions", List.of(Map.of("channel", "email", "address", "ann@shop.example"))));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            Thread.sleep(500);
            assertThat(mail).as("not in the segment yet").isEmpty();

            Reply upgraded = json(port, "POST", "/api/v1/databases/vip/profiles", Map.of("matching", "email",
                    "fields", Map.of("email", "ann@shop.example", "tier", "gold")));
            assertThat(upgraded.status()).as(upgraded.body()).isEqualTo(200);

            waitFor(() -> !mail.isEmpty());
            assertThat(mail).singleElement().satisfies(m -> assertThat(m.get("subject").asText()).isEqualTo("Welcome to gold, ann@shop.example"));
            waitFor(() -> json(port, "GET", "/api/v1/journeys/" + journeyId + "/stats", null).json().path("entered").asLong() == 1);
        }
        // every reaction went through the bus's listeners, none failed
        JsonNode reactions = json(port, "GET", "/api/v1/system/reactions", null).json();
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode l : reactions.path("listeners")) {
            names.add(l.path("name").asText());
            assertThat(l.path("failed").asLong()).as(l.toString()).isZero();
        }
        assertThat(names).containsExactly("segments", "webhooks-outbox", "trigger-campaigns", "conversions", "journeys-inbox", "journeys", "form-confirmations",
                "shop-activity");
        assertThat(reactions.path("segmentFailures").asLong()).isZero();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        ApiTestSupport.waitFor(condition);
    }
}
