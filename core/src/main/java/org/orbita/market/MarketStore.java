package org.orbita.market;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.orbita.market.Market.Category;
import org.orbita.market.Market.Order;
import org.orbita.market.Market.Product;
import org.orbita.market.Market.Sku;
import org.orbita.market.Market.StatusChange;
import org.orbita.market.Market.Touchpoint;

/**
 * The market's tables: the catalogue, touchpoints, orders with lines and status history. One
 * schema for the embedded SQLite file and PostgreSQL ({@link org.orbita.storage.sql.SqlDatabase});
 * every write of a batch in one transaction, idempotent by the shop's ids.
 */
public interface MarketStore {

    /** Adds or replaces categories, products and SKUs (by id); a real product replaces a placeholder. */
    void putCatalog(String workspaceId, List<Category> categories, List<Product> products, List<Sku> skus);

    /** Adds placeholders for products an order names that the catalogue does not have; existing ones are left alone. */
    void ensureProducts(String workspaceId, Collection<Product> placeholders);

    Optional<Product> product(String workspaceId, String id);

    /** Products after {@code afterId} in id order. */
    List<Product> products(String workspaceId, String afterId, int limit);

    List<Sku> skus(String workspaceId, String productId);

    List<Category> categories(String workspaceId);

    /** Which of these product ids the catalogue has. */
    java.util.Set<String> knownProducts(String workspaceId, Collection<String> ids);

    void putTouchpoint(String workspaceId, Touchpoint t);

    List<Touchpoint> touchpoints(String workspaceId);

    boolean deleteTouchpoint(String workspaceId, String id);

    /** The stored orders among these ids, with their lines. */
    Map<String, Order> orders(String workspaceId, Collection<String> ids);

    /**
     * Writes orders (each replacing the stored one and its lines) and status changes in one
     * transaction; a change recorded before (same order, time and status) is not recorded twice.
     * {@code linesBefore}: how many lines the stored orders had (absent: new orders), so only those
     * that lost lines are pruned. {@code unlogged} (null: none): the changes whose events the caller logs next, kept
     * in the same transaction until {@link #logged} — a failure or a crash between the two leaves them to log again.
     */
    void putOrders(String workspaceId, List<Order> orders, List<StatusChange> changes, Map<String, Integer> linesBefore, Market.Unlogged unlogged);

    /** Batches whose events are not yet known to be logged (of a workspace; null: of any), oldest first. */
    List<Market.Unlogged> unlogged(String workspaceId, int limit);

    /** Forgets a batch's unlogged changes: its events are in the log. */
    void logged(String workspaceId, String id);

    /** The workspace's orders, newest first (by when they were placed). */
    List<Order> latestOrders(String workspaceId, int limit);

    /** A profile's orders, newest first. */
    List<Order> ordersOf(String workspaceId, String databaseId, String profileId, int limit);

    /** An order's statuses in the order they were taken. */
    List<StatusChange> history(String workspaceId, String orderId);

    /** Products most often in the same orders as these (not these), most orders first: "bought together". */
    List<String> boughtTogether(String workspaceId, Collection<String> productIds, int limit);

    /** A category's products in the most orders, most first: "popular in the category". */
    List<String> popular(String workspaceId, String categoryId, int limit);

    /** How many orders and lines a workspace has. */
    long[] counts(String workspaceId);

    /** The stored products among these ids. */
    Map<String, Product> products(String workspaceId, Collection<String> ids);

    // ---- what shoppers do between orders

    Optional<Market.Cart> cart(String workspaceId, String databaseId, String profileId);

    /** Stores a profile's cart, replacing the one stored; a cart without lines is removed. */
    void putCart(String workspaceId, Market.Cart cart);

    /** Carts whose abandonment is due by then, the longest due first. */
    List<Market.DueCart> dueCarts(Instant by, int limit);

    /** Marks a cart's abandonment told (due cleared), unless it changed after {@code updated}; whether it did. */
    boolean cartTold(String workspaceId, String databaseId, String profileId, Instant updated);

    /** Records product views, keeping the latest of each profile and product. */
    void putViews(String workspaceId, Collection<Market.View> views);

    /** Who viewed a product since then, after the key (database, profile) given (nulls: from the start), in key order. */
    List<Market.View> viewers(String workspaceId, String productId, Instant since, String afterDatabase, String afterProfile, int limit);

    /** Forgets views older than then; how many. */
    int forgetViews(Instant before);

    /** Each buyer of a client database with their orders' count, sum and last time, streamed (memory stays flat). */
    void buyers(String workspaceId, String databaseId, Consumer<Market.Buyer> each);
}
