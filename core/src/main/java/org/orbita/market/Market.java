package org.orbita.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The market's records: a workspace's catalogue (categories, products, their SKUs), its sales
 * channels (touchpoints, each bound to a client database) and orders with their lines and the
 * history of their statuses. Ids are the shop's own (external) ids; amounts are decimals in the
 * order's currency.
 */
public final class Market {

    private Market() {}

    /** A decimal without trailing zeros, never in exponent form (5000, not 5E+3). */
    public static BigDecimal plain(BigDecimal d) {
        if (d == null) {
            return null;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.signum() == 0 ? BigDecimal.ZERO : s.scale() < 0 ? s.setScale(0) : s;
    }

    /** Where an order stands: Altcraft's four, a shop's own status ({@code customStatus}) mapped onto one of them. */
    public static final List<String> STATUSES = List.of("new", "in_process", "delivered", "canceled", "refunded");

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Category(String id, String name, String parentId) {}

    /** A product; {@code placeholder}: made by an order line naming a product the catalogue did not have yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Product(String id, String name, String url, String image, BigDecimal price, String currency, String categoryId,
                          String vendor, boolean available, boolean placeholder, Instant updated) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sku(String id, String productId, String name, BigDecimal price, boolean available) {}

    /** A sales channel (a shop, an app, a marketplace) and the client database its buyers are in. */
    public record Touchpoint(String id, String name, String databaseId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(int n, String productId, String skuId, String name, String categoryId, BigDecimal quantity, BigDecimal price,
                       BigDecimal amount) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Order(String id, String touchpoint, String databaseId, String profileId, String status, String customStatus, String currency,
                        BigDecimal total, Instant created, Instant updated, List<Line> lines) {

        public Order {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }

        public Order withStatus(String to, String custom, Instant at) {
            return new Order(id, touchpoint, databaseId, profileId, to, custom, currency, total, created, at, lines);
        }
    }

    /** A status an order took (or was reported with late: {@code applied} false keeps the later status it had). */
    public record StatusChange(String orderId, String from, String to, String customStatus, Instant at, boolean applied) {}

    /**
     * A batch's orders stored while their events were not yet in the log: the status changes that make events (an
     * order's first status: {@code order.created} and its items; a later one applied: {@code order.status_changed}),
     * written with the orders in one transaction and forgotten once the events are logged.
     */
    public record Unlogged(String workspaceId, String id, List<StatusChange> changes) {}

    /** A line of a cart, as the site's {@code add_to_cart} / {@code remove_from_cart} events left it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CartLine(String productId, String skuId, String name, BigDecimal quantity, BigDecimal price) {}

    /**
     * A profile's cart: its lines, the currency its events gave, when it last changed, and when its
     * abandonment falls due ({@code due}; null once told, or with nothing in it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cart(String databaseId, String profileId, List<CartLine> lines, String currency, Instant updated, Instant due) {
        public Cart {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }

        public BigDecimal total() {
            BigDecimal t = BigDecimal.ZERO;
            for (CartLine l : lines) {
                t = t.add(l.price() == null ? BigDecimal.ZERO : l.price().multiply(l.quantity()));
            }
            return plain(t);
        }
    }

    /** A cart of some workspace whose abandonment is due. */
    public record DueCart(String workspaceId, Cart cart) {}

    /** A product a profile looked at, the last time it did. */
    public record View(String databaseId, String profileId, String productId, Instant at) {}

    /** A buyer's orders in one client database: how many, their totals summed, when the last was made. */
    public record Buyer(String profileId, long orders, BigDecimal spent, Instant last) {}
}
