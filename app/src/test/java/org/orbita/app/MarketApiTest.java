package org.orbita.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.app.ApiTestSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbita.app.ApiTestSupport.Reply;
import org.orbita.market.ShopActivity;
import org.orbita.queues.SendQueue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The market over the API as a shop's backend uses it: touchpoints, statuses mapped, orders
 * imported idempotently (buyers created when missing, unknown products as placeholders, every bad
 * order named by index and field), status changes and late statuses, the catalogue from JSON, YML
 * and Google Merchant feeds; orders reaching the buyer's history and real-time segments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MarketApiTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws IOException {
        ApiTestSupport.properties(registry, false);
    }

    static int counter;
    String db;
    String web;

    @BeforeEach
    void aShop() {
        db = "shop" + (++counter);
        web = "web" + counter;
        assertThat(json(port, "POST", "/api/v1/databases", Map.of("id", db, "name", "Shop", "fields", List.of(
                Map.of("name", "email", "type", "email", "unique", true)))).status()).isEqualTo(201);
        Reply t = json(port, "POST", "/api/v1/market/touchpoints", Map.of("id", web, "name", "Web shop", "databaseId", db));
        assertThat(t.status()).as(t.body()).isEqualTo(201);
    }

    private Map<String, Object> order(String id, String email, String status, String statusAt, Object... lines) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("touchpoint", web);
        o.put("customer", Map.of("matching", "email", "value", email));
        o.put("status", status);
        o.put("currency", "RUB");
        o.put("created", "2026-11-01T10:00:00Z");
        o.put("statusAt", statusAt);
        o.put("lines", List.of(lines));
        return o;
    }

    private static Map<String, Object> line(String product, Object quantity, Object price) {
        return Map.of("product", product, "category", "shoes", "quantity", quantity, "price", price);
    }

    @Test
    void ordersComeFromATableARowPerLineEachRefusedOneNamedByItsRow() {
        String csv = String.join("\n",
                "order;touchpoint;matching;value;status;currency;created;product;category;quantity;price",
                "F-1;" + web + ";email;fay@shop.example;new;RUB;2026-11-02 09:30;runner;shoes;2;1990,50",
                "F-1;" + web + ";email;fay@shop.example;new;RUB;2026-11-02 09:30;socks;socks;3;100",
                "F-2;" + web + ";email;gus@shop.example;delivered;RUB;2026-11-03;runner;shoes;one;1990",
                "F-3;" + web + ";email;hal@shop.example;new;XYZ;2026-11-04T10:00:00Z;socks;socks;1;100",
                "F-4;" + web + ";email;fay@shop.example;new;RUB;yesterday;socks;socks;1;100",
                "F-5;" + web + ";email;fay@shop.example;new;RUB;2026-11-05T10:00:00Z;hat;hats;1;800");
        Reply r = ApiTestSupport.multipart(port, "/api/v1/market/orders/file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("received").asInt()).isEqualTo(5);
        assertThat(r.json().get("created").asInt()).isEqualTo(2);
        List<Integer> rows = new ArrayList<>();
        r.json().get("rejected").forEach(x -> rows.add(x.get("index").asInt()));
        assertThat(rows).as("each refused order named by the row of its first line").containsExactly(4, 5, 6);
        assertThat(r.body()).contains("row 4.quantity").contains("\"currency\"").contains("row 6.created");

        JsonNode f1 = json(port, "GET", "/api/v1/market/orders/F-1", null).json();
        assertThat(f1.at("/order/lines")).hasSize(2);
        assertThat(f1.at("/order/lines/0/price").decimalValue()).as("a decimal comma read").isEqualByComparingTo("1990.50");
        assertThat(f1.at("/order/created").asText()).isEqualTo("2026-11-02T09:30:00Z");
        assertThat(f1.at("/order/total").decimalValue()).isEqualByComparingTo("4281");

        Reply again = ApiTestSupport.multipart(port, "/api/v1/market/orders/file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(again.json().get("unchanged").asInt()).as("the same file again changes nothing").isEqualTo(2);

        Reply unknown = ApiTestSupport.multipart(port, "/api/v1/market/orders/file", "orders.csv",
                "order,product,colour\nF-9,runner,red".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).contains("application/problem+json");
        assertThat(unknown.body()).contains("colour").contains("unknown column");
        Reply notATable = ApiTestSupport.multipart(port, "/api/v1/market/orders/file", "orders.pdf", "%PDF".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(notATable.status()).isEqualTo(400);
    }

    @Test
    void buyersNamedByProfileIdAreFoundWhetherTheOrderNamesATouchpointOrADatabase() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Reply p = json(port, "POST", "/api/v1/databases/" + db + "/profiles", Map.of("matching", "email",
                    "fields", Map.of("email", "byid" + i + "@shop.example")));
            assertThat(p.status()).as(p.body()).isEqualTo(201);
            ids.add(p.json().at("/profile/id").asText());
        }
        List<Map<String, Object>> orders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> o = order("ID-" + counter + "-" + i, "unused@shop.example", "new", null, line("runner", 1, 10));
            o.put("customer", Map.of("profileId", i < 3 ? ids.get(i) : i == 3 ? ids.get(0) : "no-such-profile"));
            if (i == 1) {
                o.remove("touchpoint");
                o.put("database", db);
            }
            orders.add(o);
        }
        Reply r = json(port, "POST", "/api/v1/market/orders", Map.of("orders", orders));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("created").asInt()).isEqualTo(4);
        assertThat(r.json().get("profilesCreated").asInt()).as("buyers named by id are never made").isZero();
        assertThat(r.json().at("/rejected/0/index").asInt()).isEqualTo(4);
        assertThat(r.body()).contains("customer.profileId").contains("no such profile");
        for (int i = 0; i < 4; i++) {
            assertThat(json(port, "GET", "/api/v1/market/orders/ID-" + counter + "-" + i, null).json().at("/order/profileId").asText())
                    .isEqualTo(ids.get(i % 3));
        }
    }

    @Test
    void ordersAreImportedOnceTheirBuyersFoundOrMadeAndEveryBadOneNamed() throws InterruptedException {
        Reply badTouchpoint = json(port, "POST", "/api/v1/market/touchpoints", Map.of("id", "Bad Id", "name", "", "databaseId", "nope"));
        assertThat(badTouchpoint.status()).isEqualTo(400);
        assertThat(badTouchpoint.contentType()).contains("application/problem+json");
        assertThat(badTouchpoint.body()).contains("\"id\"").contains("\"name\"").contains("\"database\"");

        String buyers = json(port, "POST", "/api/v1/segments", Map.of("databaseId", db, "name", "Bought runners twice",
                "definition", Map.of("type", "aggregate", "event", "order.item", "function", "sum", "property", "quantity",
                        "where", List.of(Map.of("property", "product", "op", "eq", "value", "runner")), "op", "gte", "value", 2)))
                .json().at("/segment/id").asText();

        Map<String, Object> o1 = order("A-1", "ann@shop.example", "new", "2026-11-01T10:00:00Z", line("runner", 2, "1990.50"), line("socks", 3, 100));
        Map<String, Object> badCurrency = order("A-2", "bob@shop.example", "new", null, line("runner", 1, 10));
        badCurrency.put("currency", "XYZ");
        Map<String, Object> negative = order("A-3", "bob@shop.example", "paid-ish", null, line("runner", -1, 10));
        Map<String, Object> twice = order("A-1", "ann@shop.example", "new", null, line("runner", 1, 10));
        Map<String, Object> nowhere = order("A-4", "cat@shop.example", "new", null, line("runner", 1, 10));
        nowhere.put("touchpoint", "nowhere");
        Reply first = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(o1, badCurrency, negative, twice, nowhere)));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("created").asInt()).isEqualTo(1);
        assertThat(first.json().get("profilesCreated").asInt()).as("Ann was not in the database yet").isEqualTo(1);
        List<Integer> refused = new ArrayList<>();
        first.json().get("rejected").forEach(r -> refused.add(r.get("index").asInt()));
        assertThat(refused).containsExactly(1, 2, 3, 4);
        assertThat(first.body()).contains("\"currency\"").contains("lines[0].quantity").contains("\"status\"").contains("appears twice")
                .contains("no such touchpoint");

        Reply again = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(o1)));
        assertThat(again.json().get("unchanged").asInt()).as("a replay changes nothing").isEqualTo(1);

        JsonNode stored = json(port, "GET", "/api/v1/market/orders/A-1", null).json();
        assertThat(stored.at("/order/total").decimalValue()).isEqualByComparingTo("4281");
        assertThat(stored.at("/order/lines")).hasSize(2);
        String ann = stored.at("/order/profileId").asText();
        assertThat(json(port, "GET", "/api/v1/market/products/socks", null).json().at("/product/placeholder").asBoolean())
                .as("a product the catalogue did not have: a placeholder").isTrue();

        Reply delivered = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(
                order("A-1", "ann@shop.example", "delivered", "2026-11-03T10:00:00Z", line("runner", 2, "1990.50"), line("socks", 3, 100)))));
        assertThat(delivered.json().get("updated").asInt()).isEqualTo(1);
        Reply late = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(
                order("A-1", "ann@shop.example", "in_process", "2026-11-02T10:00:00Z", line("runner", 2, "1990.50"), line("socks", 3, 100)))));
        assertThat(late.json().get("updated").asInt()).isEqualTo(1);
        JsonNode after = json(port, "GET", "/api/v1/market/orders/A-1", null).json();
        assertThat(after.at("/order/status").asText()).as("a late status does not turn the order back").isEqualTo("delivered");
        List<String> history = new ArrayList<>();
        after.get("history").forEach(h -> history.add(h.get("to").asText() + ":" + h.get("applied").asBoolean()));
        assertThat(history).containsExactly("new:true", "in_process:false", "delivered:true");

        String events = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann + "/history", null).body();
        assertThat(events).contains("order.created").contains("order.item").contains("order.status_changed").contains("\"to\":\"delivered\"");
        assertThat(json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ann + "/orders", null).json()).hasSize(1);
        int members = -1;
        for (int i = 0; i < 100 && members != 1; i++) {
            members = json(port, "GET", "/api/v1/segments/" + buyers + "/count", null).json().get("count").asInt();
            Thread.sleep(members == 1 ? 0 : 100);
        }
        assertThat(members).as("two runners bought: in the segment, in real time").isEqualTo(1);
    }

    @Test
    void aMessageAboutAnOrderSeesItsLinesAndWhatOthersBoughtWithThem() throws Exception {
        json(port, "POST", "/api/v1/market/products", Map.of("products", List.of(
                Map.of("id", "tent", "name", "Tent", "url", "https://shop.example/tent", "price", 9000),
                Map.of("id", "mat", "name", "Sleeping mat", "price", 1500),
                Map.of("id", "stove", "name", "Camp stove", "price", 2500))));
        String me = "T-" + counter;
        Reply r = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(
                order("X-" + counter, "eve@shop.example", "delivered", null, line("tent", 1, 9000), line("mat", 2, 1500)),
                order("Y-" + counter, "fay@shop.example", "delivered", null, line("tent", 1, 9000), line("stove", 1, 2500)),
                order(me, "gus@shop.example", "new", null, line("tent", 1, 9000)))));
        assertThat(r.json().get("created").asInt()).as(r.body()).isEqualTo(3);
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Your order", "email", Map.of("subject", "Order {{ order.id }}",
                "fromAddress", "shop@shop.example", "text", "{% for l in order.lines %}{{ l.quantity }} × {{ l.name }} ({{ l.url }}){% endfor %};"
                        + " total {{ order.total }} {{ order.currency }}; with it: {% for p in order.bought_together %}{{ p.name }},{% endfor %}")))
                .json().get("id").asText();
        Reply preview = json(port, "POST", "/api/v1/messages/" + message + "/send", Map.of("database", db, "profile", "gus@shop.example",
                "matchBy", "email", "channels", List.of("email"), "data", Map.of("order_id", me), "idempotencyKey", "order-" + me));
        assertThat(preview.status()).as(preview.body()).isEqualTo(202);
        assertThat(preview.json().at("/results/0/state").asText()).as(preview.body()).isIn("queued", "skipped");
        Reply rendered = json(port, "POST", "/api/v1/messages/" + message + "/render", Map.of("database", db, "profile", "gus@shop.example",
                "matchBy", "email", "channels", List.of("email"), "data", Map.of("order_id", me)));
        assertThat(rendered.status()).as(rendered.body()).isEqualTo(200);
        assertThat(rendered.body()).contains("Order " + me).contains("1 × Tent (https://shop.example/tent)").contains("total 9000 RUB")
                .as("each once with the tent: by id, mat before stove").contains("with it: Sleeping mat,Camp stove,");
    }

    @Test
    void aShopsOwnStatusesAreMappedAndTheCatalogueComesFromFeeds() {
        Reply badMap = json(port, "PUT", "/api/v1/market/statuses", Map.of("shipped", "flying"));
        assertThat(badMap.status()).isEqualTo(400);
        assertThat(json(port, "PUT", "/api/v1/market/statuses", Map.of("Shipped", "in_process")).status()).isEqualTo(200);
        Map<String, Object> o = order("C-" + counter, "dan@shop.example", null, null, line("runner", 1, 10));
        o.remove("status");
        o.put("customStatus", "shipped");
        Reply r = json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(o)));
        assertThat(r.json().get("created").asInt()).as(r.body()).isEqualTo(1);
        JsonNode stored = json(port, "GET", "/api/v1/market/orders/C-" + counter, null).json();
        assertThat(stored.at("/order/status").asText()).isEqualTo("in_process");
        assertThat(stored.at("/order/customStatus").asText()).isEqualTo("shipped");

        Reply products = json(port, "POST", "/api/v1/market/products", Map.of("categories", List.of(Map.of("id", "shoes", "name", "Shoes")),
                "products", List.of(Map.of("id", "runner", "name", "Runner", "price", 1990.5, "currency", "RUB", "category", "shoes",
                        "skus", List.of(Map.of("id", "runner-42", "name", "42", "price", 1990.5, "available", true))),
                        Map.of("id", "bad", "name", "Bad", "price", -1, "currency", "ZZZ"))));
        assertThat(products.status()).as(products.body()).isEqualTo(200);
        assertThat(products.json().get("products").asInt()).isEqualTo(1);
        assertThat(products.body()).contains("\"price\"").contains("\"currency\"");
        JsonNode runner = json(port, "GET", "/api/v1/market/products/runner", null).json();
        assertThat(runner.at("/product/placeholder").asBoolean()).isFalse();
        assertThat(runner.at("/skus/0/id").asText()).isEqualTo("runner-42");

        String yml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <yml_catalog date="2026-12-01 10:00"><shop><name>Shop</name>
                <currencies><currency id="RUR" rate="1"/></currencies>
                <categories><category id="10">Shoes</category><category id="11" parentId="10">Running</category></categories>
                <offers>
                  <offer id="y1" available="true"><url>https://shop.example/y1</url><price>2500</price><currencyId>RUB</currencyId>
                    <categoryId>11</categoryId><picture>https://shop.example/y1.jpg</picture><name>Trail runner</name><vendor>Acme</vendor></offer>
                  <offer id="y2" available="false"><price>12,5</price><currencyId>RUB</currencyId><categoryId>10</categoryId><name>Laces</name></offer>
                  <offer id="y3"><price>cheap</price><currencyId>RUB</currencyId><name>Odd</name></offer>
                </offers></shop></yml_catalog>""";
        Reply y = ApiTestSupport.multipart(port, "/api/v1/market/feeds", "feed.yml", yml.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(y.status()).as(y.body()).isEqualTo(200);
        assertThat(y.json().get("products").asInt()).isEqualTo(2);
        assertThat(y.json().get("categories").asInt()).isEqualTo(2);
        assertThat(y.body()).as("the offer whose price is no number").contains("y3").contains("cheap");
        JsonNode laces = json(port, "GET", "/api/v1/market/products/y2", null).json();
        assertThat(laces.at("/product/price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(laces.at("/product/available").asBoolean()).isFalse();

        String google = """
                <?xml version="1.0"?>
                <rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><title>Shop</title>
                <item><g:id>g1</g:id><g:title>Rain jacket</g:title><g:link>https://shop.example/g1</g:link>
                  <g:image_link>https://shop.example/g1.jpg</g:image_link><g:price>59.90 USD</g:price><g:sale_price>49.90 USD</g:sale_price>
                  <g:availability>in_stock</g:availability><g:product_type>Apparel &gt; Jackets</g:product_type><g:brand>Acme</g:brand></item>
                </channel></rss>""";
        Reply g = ApiTestSupport.multipart(port, "/api/v1/market/feeds", "feed.xml", google.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(g.status()).as(g.body()).isEqualTo(200);
        JsonNode jacket = json(port, "GET", "/api/v1/market/products/g1", null).json();
        assertThat(jacket.at("/product/price").decimalValue()).isEqualByComparingTo("49.90");
        assertThat(jacket.at("/product/currency").asText()).isEqualTo("USD");
        assertThat(jacket.at("/product/categoryId").asText()).isEqualTo("Jackets");

        Reply xxe = ApiTestSupport.multipart(port, "/api/v1/market/feeds", "feed.xml", ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM"
                + " \"file:///etc/passwd\">]><rss><channel><item><g:id xmlns:g=\"http://base.google.com/ns/1.0\">&x;</g:id></item></channel></rss>")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(xxe.status()).as("no DTDs, no files read").isEqualTo(400);
        assertThat(xxe.body()).doesNotContain("root:");
    }

    @Autowired
    ShopActivity shop;

    @Autowired
    SendQueue queue;

    @Test
    void aCartLeftOnTheSiteIsToldAsAbandonedAndViewersHearOfPriceDropsAndRestocks() throws Exception {
        Reply badSettings = json(port, "PUT", "/api/v1/market/settings", Map.of("cartAbandonedMinutes", 5, "viewedDays", 0));
        assertThat(badSettings.status()).isEqualTo(400);
        assertThat(badSettings.body()).contains("cartAbandonedMinutes").contains("viewedDays");
        String b = "boot" + counter;
        String h = "hat" + counter;
        String sc = "scarf" + counter;
        assertThat(json(port, "POST", "/api/v1/market/products", Map.of("products", List.of(
                Map.of("id", b, "name", "Hiking boot", "url", "https://shop.example/boot", "price", 5000, "currency", "RUB"),
                Map.of("id", h, "name", "Wool hat", "price", 800, "currency", "RUB", "available", false),
                Map.of("id", sc, "name", "Scarf", "price", 300, "currency", "RUB")))).status()).isEqualTo(200);
        String email = "ivy" + counter + "@shop.example";
        Reply ivy = json(port, "POST", "/api/v1/databases/" + db + "/profiles", Map.of("matching", "email", "fields", Map.of("email", email),
                "subscriptions", List.of(Map.of("channel", "email", "address", email))));
        assertThat(ivy.status()).as(ivy.body()).isEqualTo(201);
        String ivyId = ivy.json().at("/profile/id").asText();
        String site = json(port, "POST", "/api/v1/sites", Map.of("name", "Shop", "domains", List.of("https://shop.example/"), "database", db))
                .json().get("id").asText();
        String message = json(port, "POST", "/api/v1/messages", Map.of("name", "Your cart", "email", Map.of("subject", "Still thinking?",
                "fromAddress", "shop@shop.example", "text", "{{ cart.items_count }} left: {% for l in cart.lines %}{{ l.quantity }} × {{ l.name }}"
                        + " = {{ l.amount }}; {% endfor %}total {{ cart.total }} {{ cart.currency }}"))).json().get("id").asText();
        Reply campaign = json(port, "POST", "/api/v1/campaigns", Map.of("name", "Abandoned cart", "type", "trigger", "database", db,
                "messageId", message, "trigger", Map.of("event", "cart.abandoned")));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(json(port, "POST", "/api/v1/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);

        // another buyer took the boot with the hat: what goes with Ivy's cart
        assertThat(json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(order("Z-" + counter, "zed" + counter + "@shop.example",
                "delivered", null, line(b, 1, 5000), line(h, 1, 800))))).json().get("created").asInt()).isEqualTo(1);
        // the shop's back end reports what Ivy did two hours ago, in Google Analytics 4's e-commerce shape
        long twoHoursAgo = System.currentTimeMillis() - 7_200_000L;
        List<Map<String, Object>> hits = List.of(
                Map.of("kind", "identify", "id", "hit-" + counter + "-01", "identity", Map.of("email", email), "time", twoHoursAgo),
                Map.of("kind", "event", "id", "hit-" + counter + "-02", "name", "view_item", "time", twoHoursAgo,
                        "properties", Map.of("items", List.of(Map.of("item_id", b), Map.of("item_id", h)))),
                Map.of("kind", "event", "id", "hit-" + counter + "-03", "name", "add_to_cart", "time", twoHoursAgo + 1, "properties",
                        Map.of("currency", "RUB", "items", List.of(Map.of("item_id", b, "item_name", "Boot", "price", 5000, "quantity", 1),
                                Map.of("item_id", sc, "price", 300, "quantity", 2), Map.of("item_name", "no id: left out"),
                                Map.of("item_id", "not-in-the-catalogue", "item_name", "Click https://evil.example", "price", 1)))),
                Map.of("kind", "event", "id", "hit-" + counter + "-04", "name", "remove_from_cart", "time", twoHoursAgo + 2,
                        "properties", Map.of("items", List.of(Map.of("item_id", sc, "quantity", 1)))),
                Map.of("kind", "event", "id", "hit-" + counter + "-05", "name", "cart.abandoned", "time", twoHoursAgo + 3));
        Reply stored = json(port, "POST", "/api/v1/sites/" + site + "/hits", Map.of("visitor", "visitor-ivy-" + counter + "-0001", "hits", hits,
                "context", Map.of("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("stored").asInt()).as("three events (an identification is no hit stored)").isEqualTo(3);
        assertThat(stored.body()).as("a site may not forge what Orbita tells").contains("\"index\":4");

        JsonNode[] cart = {null};
        ApiTestSupport.waitFor(() -> {
            cart[0] = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/cart", null).json();
            return cart[0].get("items_count").asInt() == 2;
        });
        assertThat(cart[0].get("total").decimalValue()).isEqualByComparingTo("5300");
        assertThat(cart[0].at("/lines/0/name").asText()).as("the catalogue's name, not the page's").isEqualTo("Hiking boot");
        assertThat(cart[0].toString()).as("a product the catalogue does not have is not shown").doesNotContain("evil");
        assertThat(cart[0].at("/bought_together/0/name").asText()).as("bought with the boot by another").isEqualTo("Wool hat");
        assertThat(cart[0].at("/lines/1/quantity").decimalValue()).as("two scarves added, one taken out").isEqualByComparingTo("1");
        Reply preview = json(port, "POST", "/api/v1/messages/" + message + "/render", Map.of("database", db, "profile", ivyId,
                "channels", List.of("email")));
        assertThat(preview.body()).contains("2 left: 1 × Hiking boot = 5000; 1 × Scarf = 300; total 5300 RUB");

        Thread.sleep(2_500); // live trigger campaigns are looked up again every two seconds
        List<JsonNode> mail = new CopyOnWriteArrayList<>();
        try (SendQueue.Consumer consumer = ApiTestSupport.campaignMail(queue, campaignId, mail)) {
            shop.tellAbandoned(); // what the minute's job does (it may have come first)
            ApiTestSupport.waitFor(() -> mail.size() == 1);
            assertThat(mail.get(0).get("text").asText()).contains("2 left: 1 × Hiking boot = 5000; 1 × Scarf = 300; total 5300 RUB");
            shop.tellAbandoned();
            Thread.sleep(1_000);
            assertThat(mail).as("a cart is told once until it changes").hasSize(1);
        }
        JsonNode abandoned = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/history?type=cart.abandoned", null).json();
        assertThat(abandoned.get("events")).hasSize(1);
        assertThat(abandoned.at("/events/0/properties/total").decimalValue()).isEqualByComparingTo("5300");
        assertThat(abandoned.at("/events/0/properties").has("bought_together")).as("recommendations are read when a message is sent").isFalse();

        // her order empties the cart
        Map<String, Object> o = order("C-" + counter, email, "new", null, line(b, 1, 5000));
        assertThat(json(port, "POST", "/api/v1/market/orders", Map.of("orders", List.of(o))).json().get("created").asInt()).isEqualTo(1);
        ApiTestSupport.waitFor(() -> json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/cart", null).json()
                .get("items_count").asInt() == 0);

        // the catalogue changes: the boot she viewed is cheaper, the hat she viewed is back; the scarf she never viewed is cheaper too
        assertThat(json(port, "POST", "/api/v1/market/products", Map.of("products", List.of(
                Map.of("id", b, "name", "Hiking boot", "price", 4500, "currency", "RUB"),
                Map.of("id", h, "name", "Wool hat", "price", 800, "currency", "RUB", "available", true),
                Map.of("id", sc, "name", "Scarf", "price", 250, "currency", "RUB")))).status()).isEqualTo(200);
        JsonNode drops = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/history?type=product.price_dropped", null).json();
        assertThat(drops.get("events")).hasSize(1);
        assertThat(drops.at("/events/0/properties/product_id").asText()).isEqualTo(b);
        assertThat(drops.at("/events/0/properties/old_price").decimalValue()).isEqualByComparingTo("5000");
        assertThat(drops.at("/events/0/properties/price").decimalValue()).isEqualByComparingTo("4500");
        JsonNode back = json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/history?type=product.back_in_stock", null).json();
        assertThat(back.get("events")).hasSize(1);
        assertThat(back.at("/events/0/properties/product_id").asText()).isEqualTo(h);
        // the same feed again changes nothing
        json(port, "POST", "/api/v1/market/products", Map.of("products", List.of(Map.of("id", b, "name", "Hiking boot", "price", 4500,
                "currency", "RUB"))));
        assertThat(json(port, "GET", "/api/v1/databases/" + db + "/profiles/" + ivyId + "/history?type=product.price_dropped", null).json()
                .get("events")).hasSize(1);
    }

    @Test
    void theRfmSegmentsSortEveryBuyerIntoOneGroupWithThresholdsFromTheOrders() {
        Reply none = json(port, "POST", "/api/v1/market/rfm", Map.of("database", db));
        assertThat(none.status()).as("no orders, no thresholds").isEqualTo(400);
        assertThat(none.body()).contains("has no orders yet");
        assertThat(json(port, "POST", "/api/v1/market/rfm", Map.of()).body()).contains("\"database\"");
        java.time.Instant now = java.time.Instant.now();
        List<Map<String, Object>> orders = new ArrayList<>();
        // buyer, orders, total each, days ago of the latest
        Object[][] buyers = {{"b1", 5, 10_000, 1}, {"b2", 5, 100, 1}, {"b3", 2, 500, 2}, {"b4", 1, 500, 2}, {"b5", 1, 900, 3},
                {"b6", 1, 700, 60}, {"b7", 4, 1000, 60}, {"b8", 1, 300, 300}, {"b9", 3, 1000, 300}};
        for (Object[] b : buyers) {
            for (int k = 0; k < (int) b[1]; k++) {
                Map<String, Object> o = order(b[0] + "-" + counter + "-" + k, b[0] + "x" + counter + "@shop.example", "delivered", null,
                        line("runner", 1, b[2]));
                o.put("created", now.minus(java.time.Duration.ofDays((int) b[3] + k)).toString());
                orders.add(o);
            }
        }
        Reply imported = json(port, "POST", "/api/v1/market/orders", Map.of("orders", orders));
        assertThat(imported.json().get("created").asInt()).as(imported.body()).isEqualTo(orders.size());

        Reply built = json(port, "POST", "/api/v1/market/rfm", Map.of("database", db));
        assertThat(built.status()).as(built.body()).isEqualTo(200);
        JsonNode t = built.json().get("thresholds");
        assertThat(t.get("recentDays").asInt()).isEqualTo(7);
        assertThat(t.get("lapsedDays").asInt()).as("two thirds of the buyers ordered in the last 61 days").isEqualTo(61);
        assertThat(t.get("frequentOrders").asInt()).isEqualTo(5);
        assertThat(t.get("buyers").asInt()).isEqualTo(9);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode seg : built.json().get("segments")) {
            ids.add(seg.get("id").asText());
            List<String> members = new ArrayList<>();
            json(port, "GET", "/api/v1/segments/" + seg.get("id").asText() + "/members", null).json().get("profiles")
                    .forEach(p -> members.add(p.at("/fields/email").asText().replaceAll("x.*", "")));
            members.sort(null);
            groups.put(seg.get("name").asText(), members);
        }
        assertThat(groups).containsExactly(Map.entry("RFM: Champions", List.of("b1")), Map.entry("RFM: Loyal", List.of("b2", "b3")),
                Map.entry("RFM: New", List.of("b4", "b5")), Map.entry("RFM: Needs attention", List.of("b6", "b7")),
                Map.entry("RFM: At risk", List.of("b9")), Map.entry("RFM: Lost", List.of("b8")));
        // built again: the same segments, updated, keeping a name the team gave one
        JsonNode champions = json(port, "GET", "/api/v1/segments/" + ids.get(0), null).json().get("segment");
        Reply renamed = json(port, "PUT", "/api/v1/segments/" + ids.get(0), Map.of("name", "Чемпионы", "definition", champions.get("definition")));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        List<String> again = new ArrayList<>();
        JsonNode rebuilt = json(port, "POST", "/api/v1/market/rfm", Map.of("database", db)).json();
        rebuilt.get("segments").forEach(seg -> again.add(seg.get("id").asText()));
        assertThat(again).isEqualTo(ids);
        assertThat(rebuilt.at("/segments/0/name").asText()).isEqualTo("Чемпионы");
    }
}
