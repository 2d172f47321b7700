package org.orbita.market.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.market.Market;
import org.orbita.market.Market.Cart;
import org.orbita.market.Market.CartLine;
import org.orbita.market.Market.Category;
import org.orbita.market.Market.Line;
import org.orbita.market.Market.Order;
import org.orbita.market.Market.Product;
import org.orbita.market.Market.Sku;
import org.orbita.market.Market.StatusChange;
import org.orbita.market.Market.Touchpoint;
import org.orbita.market.Market.View;
import org.orbita.market.MarketStore;

/** What the market's store does on every engine it runs on: the same schema, the same answers. */
public abstract class MarketStoreContract {

    protected abstract MarketStore store();

    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

    private static Product product(String id, String name, String price, boolean placeholder) {
        return new Product(id, name, "https://shop.example/p/" + id, null, price == null ? null : new BigDecimal(price), "RUB", "shoes", "Acme", true,
                placeholder, T);
    }

    private static Order order(String id, String status, Line... lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (Line l : lines) {
            total = total.add(l.amount());
        }
        return new Order(id, "web", "clients", "p1", status, null, "RUB", total, T, T, List.of(lines));
    }

    private static Line line(int n, String product, String qty, String price) {
        return new Line(n, product, product + "-42", "Item " + product, "shoes", new BigDecimal(qty), new BigDecimal(price),
                new BigDecimal(qty).multiply(new BigDecimal(price)));
    }

    @Test
    void theCatalogueIsUpsertedAndAPlaceholderGivesWayToTheRealProduct() {
        MarketStore s = store();
        s.putCatalog("ws", List.of(new Category("shoes", "Shoes", null), new Category("boots", "Boots", "shoes")),
                List.of(product("a", "Runner", "1990.50", false)), List.of(new Sku("a-42", "a", "Size 42", new BigDecimal("1990.50"), true)));
        s.ensureProducts("ws", List.of(product("a", "Unknown", null, true), product("b", "Unknown b", null, true)));
        assertThat(s.product("ws", "a")).get().satisfies(p -> {
            assertThat(p.name()).as("a placeholder never replaces a product").isEqualTo("Runner");
            assertThat(p.price()).isEqualByComparingTo("1990.5");
            assertThat(p.placeholder()).isFalse();
        });
        assertThat(s.product("ws", "b")).get().extracting(Product::placeholder).isEqualTo(true);
        s.putCatalog("ws", List.of(), List.of(product("b", "Trail", "2500", false)), List.of());
        assertThat(s.product("ws", "b")).get().satisfies(p -> {
            assertThat(p.name()).isEqualTo("Trail");
            assertThat(p.placeholder()).isFalse();
        });
        assertThat(s.products("ws", null, 10)).extracting(Product::id).containsExactly("a", "b");
        assertThat(s.products("ws", "a", 10)).extracting(Product::id).containsExactly("b");
        assertThat(s.skus("ws", "a")).extracting(Sku::name).containsExactly("Size 42");
        assertThat(s.categories("ws")).extracting(Category::parentId).as("boots, then shoes").containsExactly("shoes", null);
        assertThat(s.knownProducts("ws", List.of("a", "b", "c"))).containsExactlyInAnyOrder("a", "b");
        assertThat(s.product("other", "a")).as("workspaces apart").isEmpty();
    }

    @Test
    void ordersKeepTheirLinesAndHistoryAndAReplayChangesNothing() {
        MarketStore s = store();
        Order first = order("o-1", "new", line(1, "a", "2", "100.25"), line(2, "b", "1", "50"), line(3, "c", "1", "10"));
        StatusChange createdChange = new StatusChange("o-1", null, "new", "created", T, true);
        s.putOrders("ws", List.of(first), List.of(createdChange), Map.of(), new Market.Unlogged("ws", "b1", List.of(createdChange)));
        assertThat(s.unlogged("ws", 10)).as("kept with the orders until their events are logged")
                .containsExactly(new Market.Unlogged("ws", "b1", List.of(createdChange)));
        assertThat(s.unlogged(null, 10)).extracting(Market.Unlogged::id).containsExactly("b1");
        assertThat(s.unlogged("other", 10)).isEmpty();
        s.logged("ws", "b1");
        assertThat(s.unlogged(null, 10)).isEmpty();
        Order got = s.orders("ws", List.of("o-1", "missing")).get("o-1");
        assertThat(got.lines()).extracting(Line::productId).containsExactly("a", "b", "c");
        assertThat(got.total()).isEqualByComparingTo("260.5");
        assertThat(got.lines().get(0).amount()).isEqualByComparingTo("200.5");

        Order fewer = new Order("o-1", "web", "clients", "p1", "delivered", "shipped", "RUB", new BigDecimal("200.5"), T, T.plusSeconds(60),
                List.of(line(1, "a", "2", "100.25")));
        s.putOrders("ws", List.of(fewer), List.of(new StatusChange("o-1", "new", "delivered", "shipped", T.plusSeconds(60), true)), Map.of("o-1", 3), null);
        s.putOrders("ws", List.of(fewer), List.of(new StatusChange("o-1", "new", "delivered", "shipped", T.plusSeconds(60), true)), Map.of("o-1", 1), null);
        Order now = s.orders("ws", List.of("o-1")).get("o-1");
        assertThat(now.lines()).as("lines the order no longer has are gone").hasSize(1);
        assertThat(now.status()).isEqualTo("delivered");
        assertThat(now.customStatus()).isEqualTo("shipped");
        assertThat(s.history("ws", "o-1")).extracting(StatusChange::to).as("the replay recorded once").containsExactly("new", "delivered");
        assertThat(s.ordersOf("ws", "clients", "p1", 10)).extracting(Order::id).containsExactly("o-1");
        assertThat(s.counts("ws")).containsExactly(1, 1);
    }

    @Test
    void boughtTogetherAndPopularInACategoryComeFromTheLines() {
        MarketStore s = store();
        s.putOrders("ws", List.of(order("x1", "new", line(1, "a", "1", "1"), line(2, "b", "1", "1")),
                order("x2", "new", line(1, "a", "1", "1"), line(2, "b", "1", "1"), line(3, "c", "1", "1")),
                order("x3", "new", line(1, "a", "1", "1"), line(2, "c", "1", "1")),
                order("x4", "new", line(1, "a", "1", "1"), line(2, "d", "1", "1")),
                order("x5", "new", line(1, "b", "1", "1"), line(2, "d", "1", "1")),
                order("x6", "new", line(1, "d", "1", "1"))), List.of(), Map.of(), null);
        assertThat(s.boughtTogether("ws", List.of("a"), 10)).as("b and c twice with a, d once").containsExactly("b", "c", "d");
        assertThat(s.boughtTogether("ws", List.of("a", "b"), 1)).containsExactly("c");
        assertThat(s.popular("ws", "shoes", 2)).as("a in four orders, b and d in three: b first by id").containsExactly("a", "b");
        assertThat(s.boughtTogether("other", List.of("a"), 10)).isEmpty();
    }

    @Test
    void touchpointsAreKeptPerWorkspace() {
        MarketStore s = store();
        s.putTouchpoint("ws", new Touchpoint("web", "Web shop", "clients"));
        s.putTouchpoint("ws", new Touchpoint("web", "Shop", "clients"));
        s.putTouchpoint("ws", new Touchpoint("app", "App", "clients"));
        assertThat(s.touchpoints("ws")).extracting(Touchpoint::name).containsExactly("App", "Shop");
        assertThat(s.deleteTouchpoint("ws", "app")).isTrue();
        assertThat(s.deleteTouchpoint("ws", "app")).isFalse();
        assertThat(s.touchpoints("other")).isEmpty();
    }

    @Test
    void aBatchOfManyOrdersIsWrittenAndReadBack() {
        MarketStore s = store();
        List<Order> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            orders.add(order("b-" + i, "new", line(1, "p" + (i % 7), "1", "9.99"), line(2, "q", "3", "1")));
        }
        s.putOrders("ws", orders, List.of(), Map.of(), null);
        Map<String, Order> back = s.orders("ws", orders.stream().map(Order::id).toList());
        assertThat(back).hasSize(1200);
        assertThat(back.get("b-1199").lines()).hasSize(2);
        assertThat(s.counts("ws")).containsExactly(1200, 2400);
    }

    @Test
    void aCartIsDueOnceAndAChangedCartIsNotMarkedToldByAnOlderLook() {
        MarketStore s = store();
        CartLine boot = new CartLine("boot", null, "Boot", new BigDecimal("1"), new BigDecimal("5000"));
        CartLine hat = new CartLine("hat", "hat-m", null, new BigDecimal("2"), null);
        s.putCart("ws", new Cart("clients", "p1", List.of(boot, hat), "RUB", T, T.plusSeconds(3600)));
        s.putCart("ws", new Cart("clients", "p2", List.of(boot), null, T.plusSeconds(60), T.plusSeconds(3660)));
        s.putCart("other", new Cart("clients", "p1", List.of(hat), null, T, T.plusSeconds(7200)));
        assertThat(s.cart("ws", "clients", "p1")).get().satisfies(c -> {
            assertThat(c.lines()).containsExactly(boot, hat);
            assertThat(c.currency()).isEqualTo("RUB");
            assertThat(c.updated()).isEqualTo(T);
            assertThat(c.total()).isEqualByComparingTo("5000");
        });
        assertThat(s.dueCarts(T.plusSeconds(3600), 10)).extracting(d -> d.workspaceId() + "/" + d.cart().profileId()).containsExactly("ws/p1");
        assertThat(s.dueCarts(T.plusSeconds(7200), 10)).extracting(d -> d.workspaceId() + "/" + d.cart().profileId())
                .containsExactly("ws/p1", "ws/p2", "other/p1");
        // p2 changed after the job looked: the job's mark does not take, p2 stays due at its new time
        s.putCart("ws", new Cart("clients", "p2", List.of(boot, hat), null, T.plusSeconds(120), T.plusSeconds(3720)));
        assertThat(s.cartTold("ws", "clients", "p1", T)).isTrue();
        assertThat(s.cartTold("ws", "clients", "p2", T.plusSeconds(60))).isFalse();
        assertThat(s.dueCarts(T.plusSeconds(7200), 10)).extracting(d -> d.workspaceId() + "/" + d.cart().profileId())
                .containsExactly("ws/p2", "other/p1");
        assertThat(s.cart("ws", "clients", "p1")).get().extracting(Cart::due).isNull();
        s.putCart("ws", new Cart("clients", "p1", List.of(), null, T.plusSeconds(300), null));
        assertThat(s.cart("ws", "clients", "p1")).as("an empty cart is gone").isEmpty();
    }

    @Test
    void viewsKeepTheLatestPerProfileAndAreReadAPageAtATime() {
        MarketStore s = store();
        s.putCatalog("ws", List.of(), List.of(product("boot", "Boot", "5000", false), product("hat", "Hat", "800", false)), List.of());
        assertThat(s.products("ws", List.of("boot", "hat", "nope")).keySet()).containsExactlyInAnyOrder("boot", "hat");
        s.putViews("ws", List.of(new View("clients", "p1", "boot", T.plusSeconds(100)), new View("clients", "p2", "boot", T),
                new View("clients", "p3", "boot", T.minusSeconds(86_400 * 40L)), new View("leads", "p1", "boot", T), new View("clients", "p1", "hat", T)));
        s.putViews("ws", List.of(new View("clients", "p1", "boot", T), new View("clients", "p2", "boot", T.plusSeconds(50))));
        s.putViews("other", List.of(new View("clients", "p9", "boot", T)));
        Instant since = T.minusSeconds(86_400 * 30L);
        List<View> first = s.viewers("ws", "boot", since, null, null, 2);
        assertThat(first).extracting(v -> v.databaseId() + "/" + v.profileId() + "@" + v.at().getEpochSecond())
                .containsExactly("clients/p1@" + T.plusSeconds(100).getEpochSecond(), "clients/p2@" + T.plusSeconds(50).getEpochSecond());
        assertThat(s.viewers("ws", "boot", since, "clients", "p2", 2)).extracting(v -> v.databaseId() + "/" + v.profileId())
                .as("p3's view is older than the window").containsExactly("leads/p1");
        assertThat(s.viewers("ws", "boot", since, "leads", "p1", 2)).isEmpty();
        assertThat(s.forgetViews(T.minusSeconds(86_400))).isEqualTo(1);
        assertThat(s.viewers("ws", "boot", Instant.EPOCH, null, null, 10)).hasSize(3);
    }
}
