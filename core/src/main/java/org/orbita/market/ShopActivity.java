package org.orbita.market;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.market.Market.Cart;
import org.orbita.market.Market.CartLine;
import org.orbita.market.Market.DueCart;
import org.orbita.market.Market.Product;
import org.orbita.market.Market.View;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.ProfileStore;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * What shoppers do between orders, and the events it leads to. A site (or an app, or the API)
 * reports the e-commerce events Google Analytics 4 names — {@code view_item},
 * {@code add_to_cart}, {@code remove_from_cart}, each with {@code items: [{item_id, item_name,
 * item_variant, price, quantity}]} (or one item's {@code product_id, sku, name, price, quantity}
 * flat) and a {@code currency}. From them each profile has a cart (cleared by its next
 * {@code order.created}) and the products it viewed. Three events follow, on the profile, through
 * the bus — so segments, trigger campaigns, journeys and reports hear them:
 * <ul>
 *   <li>{@code cart.abandoned} when a cart has not changed for the workspace's
 *   {@link Settings#cartAbandonedMinutes} and no order came (once per change of the cart);</li>
 *   <li>{@code product.price_dropped} when the catalogue lowers the price of a product the
 *   profile viewed in the last {@link Settings#viewedDays};</li>
 *   <li>{@code product.back_in_stock} when such a product becomes available again.</li>
 * </ul>
 * Items the events describe badly (no product id, a quantity that is no positive number) are left
 * out of the cart; the events themselves stay in the log as they came.
 */
public final class ShopActivity {

    public static final Set<String> HEARD = Set.of("view_item", "add_to_cart", "remove_from_cart", "order.created");
    /** A cart keeps at most this many lines (the latest added stay). */
    static final int MAX_LINES = 100;
    /** Views are kept for the longest window a workspace may choose. */
    static final Duration KEEP_VIEWS = Duration.ofDays(365);
    private static final int PAGE = 1_000;

    /** A workspace's choices: how long a cart waits before it counts as abandoned, how recent a view must be for a price drop to be told. */
    public record Settings(String workspaceId, int cartAbandonedMinutes, int viewedDays) {
        static Settings defaults(String workspaceId) {
            return new Settings(workspaceId, 60, 30);
        }
    }

    /** A product whose change its viewers hear of. */
    public record ProductChange(String kind, Product before, Product after) {}

    private final MarketStore store;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final EventLog events;
    private final Documents<Settings> settings;
    private final Access access;
    private final Clock clock;

    public ShopActivity(MarketStore store, SettingsStore settingsStore, ClientDatabases databases, ProfileStore profiles, EventLog events,
                        Access access, Clock clock) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
        this.events = events;
        this.settings = new Documents<>(settingsStore, "market-settings", Settings.class, Settings::workspaceId);
        this.access = access;
        this.clock = clock;
    }

    // ---- settings

    public Settings settings(String workspaceId) {
        access.require(Resource.MARKET, Action.READ);
        return settingsOf(workspaceId);
    }

    private Settings settingsOf(String workspaceId) {
        return settings.get(workspaceId).orElse(Settings.defaults(workspaceId));
    }

    public Settings saveSettings(String workspaceId, Settings in) {
        access.require(Resource.MARKET, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        if (in == null || in.cartAbandonedMinutes() < 15 || in.cartAbandonedMinutes() > 10_080) {
            errors.add(FieldError.of("cartAbandonedMinutes", in == null ? null : in.cartAbandonedMinutes(), "from 15 to 10080 (a week)"));
        }
        if (in == null || in.viewedDays() < 1 || in.viewedDays() > KEEP_VIEWS.toDays()) {
            errors.add(FieldError.of("viewedDays", in == null ? null : in.viewedDays(), "from 1 to " + KEEP_VIEWS.toDays()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Settings saved = settings.put(new Settings(workspaceId, in.cartAbandonedMinutes(), in.viewedDays()));
        access.changed(Resource.MARKET, Action.WRITE, "settings", null, saved);
        return saved;
    }

    // ---- what the bus hands over

    public static boolean wants(Event e) {
        return HEARD.contains(e.type()) && !e.profileId().startsWith(Event.VISITOR_PREFIX);
    }

    /** Keeps carts and views up to date with these events (a profile's in the order they happened). */
    public void appended(List<Event> batch) {
        Map<String, List<View>> views = new LinkedHashMap<>();
        Map<String, Cart> carts = new LinkedHashMap<>();
        Map<String, String> workspaceOf = new LinkedHashMap<>();
        for (Event e : batch) {
            if (!wants(e)) {
                continue;
            }
            Optional<ClientDatabase> db = databases.find(e.databaseId());
            if (db.isEmpty()) {
                continue;
            }
            String ws = db.get().workspaceId();
            if (e.type().equals("view_item")) {
                for (CartLine item : items(e.properties(), BigDecimal.ONE)) {
                    views.computeIfAbsent(ws, k -> new ArrayList<>()).add(new View(e.databaseId(), e.profileId(), item.productId(), e.time()));
                }
                continue;
            }
            String key = ws + "\n" + e.databaseId() + "\n" + e.profileId();
            workspaceOf.put(key, ws);
            Cart cart = carts.containsKey(key) ? carts.get(key)
                    : store.cart(ws, e.databaseId(), e.profileId()).orElse(new Cart(e.databaseId(), e.profileId(), List.of(), null, e.time(), null));
            carts.put(key, changed(cart, e, settingsOf(ws)));
        }
        views.forEach(store::putViews);
        carts.forEach((key, cart) -> store.putCart(workspaceOf.get(key), cart));
    }

    private Cart changed(Cart cart, Event e, Settings s) {
        if (e.type().equals("order.created")) {
            return new Cart(cart.databaseId(), cart.profileId(), List.of(), null, e.time(), null);
        }
        boolean adding = e.type().equals("add_to_cart");
        Map<String, CartLine> lines = new LinkedHashMap<>();
        cart.lines().forEach(l -> lines.put(l.productId() + "\n" + l.skuId(), l));
        for (CartLine item : items(e.properties(), adding ? BigDecimal.ONE : null)) {
            String k = item.productId() + "\n" + item.skuId();
            CartLine had = lines.remove(k);
            BigDecimal q = adding ? (had == null ? item.quantity() : had.quantity().add(item.quantity()))
                    : had == null || item.quantity() == null ? BigDecimal.ZERO : had.quantity().subtract(item.quantity());
            if (q.signum() > 0) {
                CartLine base = adding ? item : had;
                lines.put(k, new CartLine(base.productId(), base.skuId(), base.name() != null ? base.name() : had == null ? null : had.name(),
                        q, base.price() != null ? base.price() : had == null ? null : had.price()));
            }
        }
        List<CartLine> kept = new ArrayList<>(lines.values());
        if (kept.size() > MAX_LINES) {
            kept = kept.subList(kept.size() - MAX_LINES, kept.size());
        }
        Object currency = e.properties().get("currency");
        String cur = currency instanceof String c && c.matches("[A-Za-z]{3}") ? c.toUpperCase(Locale.ROOT) : cart.currency();
        Instant at = e.time().isAfter(cart.updated()) ? e.time() : cart.updated();
        return new Cart(cart.databaseId(), cart.profileId(), kept, cur, at, kept.isEmpty() ? null : at.plus(Duration.ofMinutes(s.cartAbandonedMinutes())));
    }

    /**
     * The items an event names: GA4's {@code items} array, or one item's fields flat. For a removal a
     * missing quantity means the whole line ({@code null}); for the rest it is 1.
     */
    static List<CartLine> items(Map<String, Object> p, BigDecimal whenNoQuantity) {
        List<CartLine> out = new ArrayList<>();
        if (p.get("items") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    item(m.get("item_id") != null ? m.get("item_id") : m.get("product_id"), m.get("item_variant") != null ? m.get("item_variant") : m.get("sku"),
                            m.get("item_name") != null ? m.get("item_name") : m.get("name"), m.get("quantity"), m.get("price"), whenNoQuantity)
                            .ifPresent(out::add);
                }
                if (out.size() >= MAX_LINES) {
                    break;
                }
            }
        } else {
            item(p.get("product_id") != null ? p.get("product_id") : p.get("item_id"), p.get("sku"), p.get("name"), p.get("quantity"), p.get("price"),
                    whenNoQuantity).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<CartLine> item(Object id, Object sku, Object name, Object quantity, Object price, BigDecimal whenNoQuantity) {
        String productId = id == null ? null : String.valueOf(id);
        if (productId == null || !Markets.ID.matcher(productId).matches()) {
            return Optional.empty();
        }
        String skuId = sku == null ? null : String.valueOf(sku);
        if (skuId != null && !Markets.ID.matcher(skuId).matches()) {
            skuId = null;
        }
        BigDecimal q = quantity == null ? whenNoQuantity : decimal(quantity);
        if (quantity != null && (q == null || q.signum() <= 0 || q.compareTo(BigDecimal.valueOf(10_000)) > 0)) {
            return Optional.empty();
        }
        BigDecimal pr = price == null ? null : decimal(price);
        if (pr != null && pr.signum() < 0) {
            pr = null;
        }
        String n = name == null ? null : String.valueOf(name).strip();
        return Optional.of(new CartLine(productId, skuId, n == null || n.isEmpty() ? null : n.substring(0, Math.min(n.length(), 500)),
                Market.plain(q), Market.plain(pr)));
    }

    private static BigDecimal decimal(Object v) {
        try {
            return v instanceof Number || v instanceof String ? new BigDecimal(String.valueOf(v).strip()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- the cart in messages

    /** A profile's cart as the API shows it: the template's view, or no lines. */
    public Map<String, Object> cart(String workspaceId, String databaseId, String profileId) {
        access.require(Resource.MARKET, Action.READ);
        Map<String, Object> cart = templateCart(workspaceId, databaseId, profileId);
        return cart != null ? cart : Map.of("lines", List.of(), "items_count", 0, "total", BigDecimal.ZERO);
    }

    /**
     * A profile's cart as templates see it ({@code {{ cart }}}): the lines of products the catalogue
     * has, with its names, links and pictures (a page's own names and unknown products are not shown:
     * anyone may send a site's events), total, count, and what goes with them ({@code bought_together},
     * {@code popular} in the first line's category); null when none.
     */
    public Map<String, Object> templateCart(String workspaceId, String databaseId, String profileId) {
        return store.cart(workspaceId, databaseId, profileId).filter(c -> !c.lines().isEmpty()).map(c -> cartFacts(workspaceId, c))
                .filter(f -> !((List<?>) f.get("lines")).isEmpty()).orElse(null);
    }

    private Map<String, Object> cartFacts(String workspaceId, Cart c) {
        Map<String, Product> catalogue = store.products(workspaceId, c.lines().stream().map(CartLine::productId).toList());
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (CartLine l : c.lines()) {
            Product p = catalogue.get(l.productId());
            if (p == null || p.placeholder()) {
                continue; // what a message shows comes from the catalogue, never from what a page claimed
            }
            BigDecimal price = l.price() != null ? l.price() : p.price();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("product", l.productId());
            if (l.skuId() != null) {
                m.put("sku", l.skuId());
            }
            m.put("name", p.name());
            if (p.url() != null) {
                m.put("url", p.url());
            }
            if (p.image() != null) {
                m.put("image", p.image());
            }
            m.put("quantity", l.quantity());
            if (price != null) {
                m.put("price", price);
                BigDecimal amount = Market.plain(price.multiply(l.quantity()));
                m.put("amount", amount);
                total = total.add(amount);
            }
            m.put("available", p.available());
            lines.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", lines);
        out.put("items_count", lines.size());
        out.put("total", Market.plain(total));
        if (c.currency() != null) {
            out.put("currency", c.currency());
        }
        out.put("updated", c.updated().toString());
        List<String> shown = new ArrayList<>();
        String category = null;
        for (Map<String, Object> l : lines) {
            shown.add((String) l.get("product"));
            Product p = catalogue.get((String) l.get("product"));
            category = category != null ? category : p.categoryId();
        }
        out.put("bought_together", Recommendations.boughtTogether(store, workspaceId, shown));
        out.put("popular", Recommendations.popular(store, workspaceId, category, shown));
        return out;
    }

    // ---- the events that follow

    /**
     * Tells the carts due by now as {@code cart.abandoned} (lines, total, currency in the event), a
     * batch at a time, and marks them told (a cart that changed meanwhile is due again later).
     * The event is appended before the cart is marked: a crash between tells it twice, never not at all.
     * Carts of profiles that are gone are dropped. Returns how many were told.
     */
    public int tellAbandoned() {
        Instant now = clock.instant();
        int told = 0;
        List<DueCart> due = store.dueCarts(now, PAGE);
        List<Event> out = new ArrayList<>();
        for (DueCart d : due) {
            Cart c = d.cart();
            if (databases.find(c.databaseId()).isEmpty() || profiles.find(c.databaseId(), c.profileId()).isEmpty()) {
                store.putCart(d.workspaceId(), new Cart(c.databaseId(), c.profileId(), List.of(), null, c.updated(), null));
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>(cartFacts(d.workspaceId(), c));
            if (((List<?>) p.get("lines")).isEmpty()) {
                continue; // nothing the catalogue knows: nothing to remind of (marked told below)
            }
            p.remove("bought_together"); // recommendations are the message's business, read when it is sent
            p.remove("popular");
            p.put("since", c.updated().toString());
            out.add(new Event(Ids.next(), c.databaseId(), c.profileId(), "cart.abandoned", null, now, p));
        }
        events.append(out);
        for (DueCart d : due) {
            if (store.cartTold(d.workspaceId(), d.cart().databaseId(), d.cart().profileId(), d.cart().updated())) {
                told++;
            }
        }
        store.forgetViews(now.minus(KEEP_VIEWS));
        return told;
    }

    /** The changes among a catalogue batch that viewers hear of: a lower price (same currency), back in stock. */
    static List<ProductChange> changes(Map<String, Product> before, Collection<Product> after) {
        List<ProductChange> out = new ArrayList<>();
        for (Product a : after) {
            Product b = before.get(a.id());
            if (b == null || b.placeholder() || !a.available()) {
                continue;
            }
            if (!b.available()) {
                out.add(new ProductChange("product.back_in_stock", b, a));
            } else if (b.price() != null && a.price() != null && a.price().compareTo(b.price()) < 0
                    && Objects.equals(b.currency(), a.currency())) {
                out.add(new ProductChange("product.price_dropped", b, a));
            }
        }
        return out;
    }

    /** Tells each product's viewers (of the workspace's window) of its change, a page of viewers at a time. Returns the events appended. */
    public long productsChanged(String workspaceId, List<ProductChange> changes) {
        if (changes.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(settingsOf(workspaceId).viewedDays()));
        long told = 0;
        for (ProductChange ch : changes) {
            Product a = ch.after();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("product_id", a.id());
            p.put("name", a.name());
            if (a.url() != null) {
                p.put("url", a.url());
            }
            if (a.image() != null) {
                p.put("image", a.image());
            }
            if (a.price() != null) {
                p.put("price", a.price());
            }
            if (ch.before().price() != null) {
                p.put("old_price", ch.before().price());
            }
            if (a.currency() != null) {
                p.put("currency", a.currency());
            }
            String afterDb = null;
            String afterProfile = null;
            while (true) {
                List<View> page = store.viewers(workspaceId, a.id(), since, afterDb, afterProfile, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                List<Event> out = new ArrayList<>(page.size());
                for (View v : page) {
                    out.add(new Event(Ids.next(), v.databaseId(), v.profileId(), ch.kind(), null, now, p));
                }
                events.append(out);
                told += out.size();
                View last = page.get(page.size() - 1);
                afterDb = last.databaseId();
                afterProfile = last.profileId();
                if (page.size() < PAGE) {
                    break;
                }
            }
        }
        return told;
    }
}
