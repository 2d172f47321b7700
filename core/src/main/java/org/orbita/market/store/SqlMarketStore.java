package org.orbita.market.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.orbita.common.Json;
import org.orbita.market.Market;
import org.orbita.market.Market.Cart;
import org.orbita.market.Market.CartLine;
import org.orbita.market.Market.Category;
import org.orbita.market.Market.DueCart;
import org.orbita.market.Market.Line;
import org.orbita.market.Market.Order;
import org.orbita.market.Market.Product;
import org.orbita.market.Market.Sku;
import org.orbita.market.Market.StatusChange;
import org.orbita.market.Market.Touchpoint;
import org.orbita.market.Market.View;
import org.orbita.market.MarketStore;
import org.orbita.storage.sql.SqlDatabase;

/**
 * The market on SQL, one schema and one set of statements for SQLite and PostgreSQL: upserts by
 * {@code ON CONFLICT … DO UPDATE}, money as {@code NUMERIC(18,4)}, times as epoch milliseconds.
 * Orders are written in batches (JDBC batches; PostgreSQL rewrites them into multi-row inserts).
 */
public final class SqlMarketStore implements MarketStore {

    public static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS market_categories (ws TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT,"
                    + " PRIMARY KEY (ws, id))",
            "CREATE TABLE IF NOT EXISTS market_products (ws TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, url TEXT, image TEXT,"
                    + " price NUMERIC(18,4), currency TEXT, category_id TEXT, vendor TEXT, available SMALLINT NOT NULL, placeholder SMALLINT NOT NULL,"
                    + " updated_ms BIGINT NOT NULL, PRIMARY KEY (ws, id))",
            "CREATE INDEX IF NOT EXISTS market_products_category ON market_products (ws, category_id)",
            "CREATE TABLE IF NOT EXISTS market_skus (ws TEXT NOT NULL, id TEXT NOT NULL, product_id TEXT NOT NULL, name TEXT, price NUMERIC(18,4),"
                    + " available SMALLINT NOT NULL, PRIMARY KEY (ws, id))",
            "CREATE INDEX IF NOT EXISTS market_skus_product ON market_skus (ws, product_id)",
            "CREATE TABLE IF NOT EXISTS market_touchpoints (ws TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, db TEXT NOT NULL,"
                    + " PRIMARY KEY (ws, id))",
            "CREATE TABLE IF NOT EXISTS market_orders (ws TEXT NOT NULL, id TEXT NOT NULL, touchpoint TEXT, db TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " status TEXT NOT NULL, custom_status TEXT, currency TEXT NOT NULL, total NUMERIC(18,4) NOT NULL, created_ms BIGINT NOT NULL,"
                    + " updated_ms BIGINT NOT NULL, PRIMARY KEY (ws, id))",
            "CREATE INDEX IF NOT EXISTS market_orders_profile ON market_orders (ws, db, profile_id, created_ms)",
            "CREATE INDEX IF NOT EXISTS market_orders_created ON market_orders (ws, created_ms)",
            "CREATE TABLE IF NOT EXISTS market_lines (ws TEXT NOT NULL, order_id TEXT NOT NULL, n INTEGER NOT NULL, product_id TEXT NOT NULL,"
                    + " sku_id TEXT, name TEXT, category_id TEXT, quantity NUMERIC(18,4) NOT NULL, price NUMERIC(18,4) NOT NULL,"
                    + " amount NUMERIC(18,4) NOT NULL, PRIMARY KEY (ws, order_id, n))",
            "CREATE INDEX IF NOT EXISTS market_lines_product ON market_lines (ws, product_id)",
            "CREATE TABLE IF NOT EXISTS market_status_history (ws TEXT NOT NULL, order_id TEXT NOT NULL, at_ms BIGINT NOT NULL,"
                    + " to_status TEXT NOT NULL, from_status TEXT, custom_status TEXT, applied SMALLINT NOT NULL,"
                    + " PRIMARY KEY (ws, order_id, at_ms, to_status))",
            "CREATE TABLE IF NOT EXISTS market_carts (ws TEXT NOT NULL, db TEXT NOT NULL, profile_id TEXT NOT NULL, items TEXT NOT NULL, currency TEXT,"
                    + " updated_ms BIGINT NOT NULL, due_ms BIGINT, PRIMARY KEY (ws, db, profile_id))",
            "CREATE INDEX IF NOT EXISTS market_carts_due ON market_carts (due_ms)",
            "CREATE TABLE IF NOT EXISTS market_views (ws TEXT NOT NULL, product_id TEXT NOT NULL, db TEXT NOT NULL, profile_id TEXT NOT NULL,"
                    + " at_ms BIGINT NOT NULL, PRIMARY KEY (ws, product_id, db, profile_id))",
            "CREATE INDEX IF NOT EXISTS market_views_at ON market_views (at_ms)",
            "CREATE TABLE IF NOT EXISTS market_unlogged (ws TEXT NOT NULL, id TEXT NOT NULL, changes TEXT NOT NULL, PRIMARY KEY (ws, id))");

    private static final String PRODUCT_COLUMNS = "id, name, url, image, price, currency, category_id, vendor, available, placeholder, updated_ms";
    private static final String ORDER_COLUMNS = "id, touchpoint, db, profile_id, status, custom_status, currency, total, created_ms, updated_ms";

    private final SqlDatabase db;

    public SqlMarketStore(SqlDatabase db) {
        this.db = db;
        db.schema(SCHEMA);
    }

    @Override
    public void putCatalog(String ws, List<Category> categories, List<Product> products, List<Sku> skus) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_categories (ws, id, name, parent_id) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (ws, id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id")) {
                for (Category k : categories) {
                    ps.setString(1, ws);
                    ps.setString(2, k.id());
                    ps.setString(3, k.name());
                    ps.setString(4, k.parentId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            writeProducts(c, ws, products, false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_skus (ws, id, product_id, name, price, available) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (ws, id) DO UPDATE SET product_id = excluded.product_id, name = excluded.name, price = excluded.price,"
                    + " available = excluded.available")) {
                for (Sku k : skus) {
                    ps.setString(1, ws);
                    ps.setString(2, k.id());
                    ps.setString(3, k.productId());
                    ps.setString(4, k.name());
                    decimal(ps, 5, k.price());
                    ps.setInt(6, k.available() ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void writeProducts(Connection c, String ws, Collection<Product> products, boolean placeholders) throws SQLException {
        String onConflict = placeholders ? " ON CONFLICT (ws, id) DO NOTHING"
                : " ON CONFLICT (ws, id) DO UPDATE SET name = excluded.name, url = excluded.url, image = excluded.image, price = excluded.price,"
                        + " currency = excluded.currency, category_id = excluded.category_id, vendor = excluded.vendor, available = excluded.available,"
                        + " placeholder = excluded.placeholder, updated_ms = excluded.updated_ms";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_products (ws, " + PRODUCT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + onConflict)) {
            for (Product p : products) {
                ps.setString(1, ws);
                ps.setString(2, p.id());
                ps.setString(3, p.name());
                ps.setString(4, p.url());
                ps.setString(5, p.image());
                decimal(ps, 6, p.price());
                ps.setString(7, p.currency());
                ps.setString(8, p.categoryId());
                ps.setString(9, p.vendor());
                ps.setInt(10, p.available() ? 1 : 0);
                ps.setInt(11, p.placeholder() ? 1 : 0);
                ps.setLong(12, p.updated().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void ensureProducts(String ws, Collection<Product> placeholders) {
        if (!placeholders.isEmpty()) {
            db.write(c -> {
                writeProducts(c, ws, placeholders, true);
                return null;
            });
        }
    }

    @Override
    public Optional<Product> product(String ws, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PRODUCT_COLUMNS + " FROM market_products WHERE ws = ? AND id = ?")) {
                ps.setString(1, ws);
                ps.setString(2, id);
                return products(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<Product> products(String ws, String afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PRODUCT_COLUMNS + " FROM market_products WHERE ws = ? AND id > ? ORDER BY id LIMIT "
                    + Math.max(1, Math.min(limit, 1000)))) {
                ps.setString(1, ws);
                ps.setString(2, afterId == null ? "" : afterId);
                return products(ps);
            }
        });
    }

    private static List<Product> products(PreparedStatement ps) throws SQLException {
        List<Product> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(product(rs));
            }
        }
        return out;
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), decimal(rs, 5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getInt(9) == 1, rs.getInt(10) == 1, Instant.ofEpochMilli(rs.getLong(11)));
    }

    @Override
    public List<Sku> skus(String ws, String productId) {
        return query("SELECT id, product_id, name, price, available FROM market_skus WHERE ws = ? AND product_id = ? ORDER BY id",
                rs -> new Sku(rs.getString(1), rs.getString(2), rs.getString(3), decimal(rs, 4), rs.getInt(5) == 1), ws, productId);
    }

    @Override
    public List<Category> categories(String ws) {
        return query("SELECT id, name, parent_id FROM market_categories WHERE ws = ? ORDER BY id",
                rs -> new Category(rs.getString(1), rs.getString(2), rs.getString(3)), ws);
    }

    @Override
    public Set<String> knownProducts(String ws, Collection<String> ids) {
        return new HashSet<>(among("SELECT id FROM market_products WHERE ws = ? AND id IN", ws, ids, rs -> rs.getString(1)));
    }

    @Override
    public Map<String, Product> products(String ws, Collection<String> ids) {
        Map<String, Product> out = new LinkedHashMap<>();
        for (Product p : among("SELECT " + PRODUCT_COLUMNS + " FROM market_products WHERE ws = ? AND id IN", ws, ids, SqlMarketStore::product)) {
            out.put(p.id(), p);
        }
        return out;
    }

    /** The rows of {@code select (ids…)} for a workspace's ids, asked 500 at a time. */
    private <T> List<T> among(String select, String ws, Collection<String> ids, Row<T> row) {
        List<T> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<String> all = new ArrayList<>(new HashSet<>(ids));
        db.read(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement(select + " (" + "?, ".repeat(part.size() - 1) + "?)")) {
                    ps.setString(1, ws);
                    for (int i = 0; i < part.size(); i++) {
                        ps.setString(i + 2, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(row.of(rs));
                        }
                    }
                }
            }
            return null;
        });
        return out;
    }

    @Override
    public void putTouchpoint(String ws, Touchpoint t) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_touchpoints (ws, id, name, db) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (ws, id) DO UPDATE SET name = excluded.name, db = excluded.db")) {
                ps.setString(1, ws);
                ps.setString(2, t.id());
                ps.setString(3, t.name());
                ps.setString(4, t.databaseId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Touchpoint> touchpoints(String ws) {
        return query("SELECT id, name, db FROM market_touchpoints WHERE ws = ? ORDER BY id",
                rs -> new Touchpoint(rs.getString(1), rs.getString(2), rs.getString(3)), ws);
    }

    @Override
    public boolean deleteTouchpoint(String ws, String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM market_touchpoints WHERE ws = ? AND id = ?")) {
                ps.setString(1, ws);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<String, Order> orders(String ws, Collection<String> ids) {
        Map<String, Order> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<String> all = new ArrayList<>(new HashSet<>(ids));
        db.read(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 500));
                String in = "?, ".repeat(part.size() - 1) + "?";
                Map<String, List<Line>> lines = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT order_id, n, product_id, sku_id, name, category_id, quantity, price, amount"
                        + " FROM market_lines WHERE ws = ? AND order_id IN (" + in + ") ORDER BY order_id, n")) {
                    bind(ps, ws, part);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            lines.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(line(rs, 2));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM market_orders WHERE ws = ? AND id IN (" + in + ")")) {
                    bind(ps, ws, part);
                    for (Order o : orders(ps, lines)) {
                        out.put(o.id(), o);
                    }
                }
            }
            return null;
        });
        return out;
    }

    private static void bind(PreparedStatement ps, String ws, List<String> ids) throws SQLException {
        ps.setString(1, ws);
        for (int i = 0; i < ids.size(); i++) {
            ps.setString(i + 2, ids.get(i));
        }
    }

    private static Line line(ResultSet rs, int from) throws SQLException {
        return new Line(rs.getInt(from), rs.getString(from + 1), rs.getString(from + 2), rs.getString(from + 3), rs.getString(from + 4),
                decimal(rs, from + 5), decimal(rs, from + 6), decimal(rs, from + 7));
    }

    private static List<Order> orders(PreparedStatement ps, Map<String, List<Line>> lines) throws SQLException {
        List<Order> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                out.add(new Order(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        decimal(rs, 8), Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)), lines.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    @Override
    public void putOrders(String ws, List<Order> orders, List<StatusChange> changes, Map<String, Integer> linesBefore, Market.Unlogged unlogged) {
        db.write(c -> {
            if (unlogged != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_unlogged (ws, id, changes) VALUES (?, ?, ?)")) {
                    ps.setString(1, ws);
                    ps.setString(2, unlogged.id());
                    ps.setString(3, Json.write(unlogged.changes().stream().map(s -> java.util.Arrays.asList(s.orderId(), s.from(), s.to(),
                            s.customStatus(), s.at().toEpochMilli())).toList()));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_orders (ws, " + ORDER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (ws, id) DO UPDATE SET touchpoint = excluded.touchpoint, db = excluded.db, profile_id = excluded.profile_id,"
                    + " status = excluded.status, custom_status = excluded.custom_status, currency = excluded.currency, total = excluded.total,"
                    + " created_ms = excluded.created_ms, updated_ms = excluded.updated_ms");
                 PreparedStatement drop = c.prepareStatement("DELETE FROM market_lines WHERE ws = ? AND order_id = ? AND n > ?");
                 PreparedStatement line = c.prepareStatement("INSERT INTO market_lines (ws, order_id, n, product_id, sku_id, name, category_id,"
                         + " quantity, price, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ws, order_id, n) DO UPDATE SET"
                         + " product_id = excluded.product_id, sku_id = excluded.sku_id, name = excluded.name, category_id = excluded.category_id,"
                         + " quantity = excluded.quantity, price = excluded.price, amount = excluded.amount")) {
                for (Order o : orders) {
                    ps.setString(1, ws);
                    ps.setString(2, o.id());
                    ps.setString(3, o.touchpoint());
                    ps.setString(4, o.databaseId());
                    ps.setString(5, o.profileId());
                    ps.setString(6, o.status());
                    ps.setString(7, o.customStatus());
                    ps.setString(8, o.currency());
                    decimal(ps, 9, o.total());
                    ps.setLong(10, o.created().toEpochMilli());
                    ps.setLong(11, o.updated().toEpochMilli());
                    ps.addBatch();
                    if (linesBefore.getOrDefault(o.id(), 0) > o.lines().size()) {
                        drop.setString(1, ws);
                        drop.setString(2, o.id());
                        drop.setInt(3, o.lines().size());
                        drop.addBatch();
                    }
                    for (Line l : o.lines()) {
                        line.setString(1, ws);
                        line.setString(2, o.id());
                        line.setInt(3, l.n());
                        line.setString(4, l.productId());
                        line.setString(5, l.skuId());
                        line.setString(6, l.name());
                        line.setString(7, l.categoryId());
                        decimal(line, 8, l.quantity());
                        decimal(line, 9, l.price());
                        decimal(line, 10, l.amount());
                        line.addBatch();
                    }
                }
                ps.executeBatch();
                drop.executeBatch();
                line.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_status_history (ws, order_id, at_ms, to_status, from_status,"
                    + " custom_status, applied) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ws, order_id, at_ms, to_status) DO NOTHING")) {
                for (StatusChange s : changes) {
                    ps.setString(1, ws);
                    ps.setString(2, s.orderId());
                    ps.setLong(3, s.at().toEpochMilli());
                    ps.setString(4, s.to());
                    ps.setString(5, s.from());
                    ps.setString(6, s.customStatus());
                    ps.setInt(7, s.applied() ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Market.Unlogged> unlogged(String ws, int limit) {
        String sql = "SELECT ws, id, changes FROM market_unlogged" + (ws == null ? "" : " WHERE ws = ?") + " ORDER BY id LIMIT " + Math.max(1, limit);
        Row<Market.Unlogged> row = rs -> {
            List<StatusChange> changes = new ArrayList<>();
            for (Object o : Json.read(rs.getString(3), List.class)) {
                List<?> f = (List<?>) o;
                changes.add(new StatusChange((String) f.get(0), (String) f.get(1), (String) f.get(2), (String) f.get(3),
                        Instant.ofEpochMilli(((Number) f.get(4)).longValue()), true));
            }
            return new Market.Unlogged(rs.getString(1), rs.getString(2), changes);
        };
        return ws == null ? query(sql, row) : query(sql, row, ws);
    }

    @Override
    public void logged(String ws, String id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM market_unlogged WHERE ws = ? AND id = ?")) {
                ps.setString(1, ws);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Order> ordersOf(String ws, String databaseId, String profileId, int limit) {
        List<String> ids = query("SELECT id FROM market_orders WHERE ws = ? AND db = ? AND profile_id = ? ORDER BY created_ms DESC, id LIMIT "
                + Math.max(1, Math.min(limit, 1000)), rs -> rs.getString(1), ws, databaseId, profileId);
        Map<String, Order> found = orders(ws, ids);
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<Order> latestOrders(String ws, int limit) {
        List<String> ids = query("SELECT id FROM market_orders WHERE ws = ? ORDER BY created_ms DESC, id LIMIT " + Math.max(1, Math.min(limit, 1000)),
                rs -> rs.getString(1), ws);
        Map<String, Order> found = orders(ws, ids);
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<StatusChange> history(String ws, String orderId) {
        return query("SELECT order_id, from_status, to_status, custom_status, at_ms, applied FROM market_status_history WHERE ws = ? AND order_id = ?"
                + " ORDER BY at_ms, to_status", rs -> new StatusChange(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getInt(6) == 1), ws, orderId);
    }

    @Override
    public List<String> boughtTogether(String ws, Collection<String> productIds, int limit) {
        if (productIds.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(productIds));
        String in = "?, ".repeat(ids.size() - 1) + "?";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT o.product_id FROM market_lines o WHERE o.ws = ? AND o.order_id IN"
                    + " (SELECT DISTINCT l.order_id FROM market_lines l WHERE l.ws = ? AND l.product_id IN (" + in + ")) AND o.product_id NOT IN (" + in + ")"
                    + " GROUP BY o.product_id ORDER BY COUNT(DISTINCT o.order_id) DESC, o.product_id LIMIT " + Math.max(1, Math.min(limit, 50)))) {
                int i = 1;
                ps.setString(i++, ws);
                ps.setString(i++, ws);
                for (String id : ids) {
                    ps.setString(i++, id);
                }
                for (String id : ids) {
                    ps.setString(i++, id);
                }
                return column(ps);
            }
        });
    }

    @Override
    public List<String> popular(String ws, String categoryId, int limit) {
        return query("SELECT product_id FROM market_lines WHERE ws = ? AND category_id = ? GROUP BY product_id"
                + " ORDER BY COUNT(DISTINCT order_id) DESC, product_id LIMIT " + Math.max(1, Math.min(limit, 50)), rs -> rs.getString(1), ws, categoryId);
    }

    private static List<String> column(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public long[] counts(String ws) {
        return db.read(c -> {
            long[] out = new long[2];
            try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM market_orders WHERE ws = ?),"
                    + " (SELECT COUNT(*) FROM market_lines WHERE ws = ?)")) {
                ps.setString(1, ws);
                ps.setString(2, ws);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out[0] = rs.getLong(1);
                    out[1] = rs.getLong(2);
                }
            }
            return out;
        });
    }

    // ---- carts and views

    private static final String CART_COLUMNS = "db, profile_id, items, currency, updated_ms, due_ms";
    private static final com.fasterxml.jackson.core.type.TypeReference<List<CartLine>> CART_LINES = new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private static Cart cart(ResultSet rs, int at) throws SQLException {
        List<CartLine> lines;
        try {
            lines = Json.MAPPER.readValue(rs.getString(at + 2), CART_LINES);
        } catch (java.io.IOException e) {
            throw new SQLException("a stored cart's items are not readable: " + e.getMessage(), e);
        }
        long dueMs = rs.getLong(at + 5);
        Instant due = rs.wasNull() ? null : Instant.ofEpochMilli(dueMs);
        return new Cart(rs.getString(at), rs.getString(at + 1), lines, rs.getString(at + 3), Instant.ofEpochMilli(rs.getLong(at + 4)), due);
    }

    @Override
    public Optional<Cart> cart(String ws, String databaseId, String profileId) {
        return query("SELECT " + CART_COLUMNS + " FROM market_carts WHERE ws = ? AND db = ? AND profile_id = ?", rs -> cart(rs, 1),
                ws, databaseId, profileId).stream().findFirst();
    }

    @Override
    public void putCart(String ws, Cart cart) {
        db.write(c -> {
            if (cart.lines().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM market_carts WHERE ws = ? AND db = ? AND profile_id = ?")) {
                    ps.setString(1, ws);
                    ps.setString(2, cart.databaseId());
                    ps.setString(3, cart.profileId());
                    ps.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_carts (ws, " + CART_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (ws, db, profile_id) DO UPDATE SET items = excluded.items, currency = excluded.currency,"
                    + " updated_ms = excluded.updated_ms, due_ms = excluded.due_ms")) {
                ps.setString(1, ws);
                ps.setString(2, cart.databaseId());
                ps.setString(3, cart.profileId());
                ps.setString(4, Json.write(cart.lines()));
                ps.setString(5, cart.currency());
                ps.setLong(6, cart.updated().toEpochMilli());
                if (cart.due() == null) {
                    ps.setNull(7, Types.BIGINT);
                } else {
                    ps.setLong(7, cart.due().toEpochMilli());
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<DueCart> dueCarts(Instant by, int limit) {
        return query("SELECT ws, " + CART_COLUMNS + " FROM market_carts WHERE due_ms <= ? ORDER BY due_ms LIMIT " + Math.max(1, Math.min(limit, 10_000)),
                rs -> new DueCart(rs.getString(1), cart(rs, 2)), by.toEpochMilli());
    }

    @Override
    public boolean cartTold(String ws, String databaseId, String profileId, Instant updated) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE market_carts SET due_ms = NULL WHERE ws = ? AND db = ? AND profile_id = ?"
                    + " AND updated_ms = ?")) {
                ps.setString(1, ws);
                ps.setString(2, databaseId);
                ps.setString(3, profileId);
                ps.setLong(4, updated.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void putViews(String ws, Collection<View> views) {
        if (views.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO market_views (ws, product_id, db, profile_id, at_ms) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (ws, product_id, db, profile_id) DO UPDATE SET at_ms = CASE WHEN excluded.at_ms > market_views.at_ms"
                    + " THEN excluded.at_ms ELSE market_views.at_ms END")) {
                for (View v : views) {
                    ps.setString(1, ws);
                    ps.setString(2, v.productId());
                    ps.setString(3, v.databaseId());
                    ps.setString(4, v.profileId());
                    ps.setLong(5, v.at().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<View> viewers(String ws, String productId, Instant since, String afterDatabase, String afterProfile, int limit) {
        String db0 = afterDatabase == null ? "" : afterDatabase;
        String p0 = afterProfile == null ? "" : afterProfile;
        return query("SELECT db, profile_id, product_id, at_ms FROM market_views WHERE ws = ? AND product_id = ? AND at_ms >= ?"
                        + " AND (db > ? OR (db = ? AND profile_id > ?)) ORDER BY db, profile_id LIMIT " + Math.max(1, Math.min(limit, 10_000)),
                rs -> new View(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))),
                ws, productId, since.toEpochMilli(), db0, db0, p0);
    }

    @Override
    public int forgetViews(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM market_views WHERE at_ms < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void buyers(String ws, String databaseId, Consumer<Market.Buyer> each) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT profile_id, COUNT(*), SUM(total), MAX(created_ms) FROM market_orders"
                    + " WHERE ws = ? AND db = ? GROUP BY profile_id")) {
                ps.setFetchSize(1_000);
                ps.setString(1, ws);
                ps.setString(2, databaseId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        each.accept(new Market.Buyer(rs.getString(1), rs.getLong(2), decimal(rs, 3), Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
            }
            return null;
        });
    }

    /** One row as a value. */
    @FunctionalInterface
    private interface Row<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** The rows of a query with text and whole-number parameters, in the query's order. */
    private <T> List<T> query(String sql, Row<T> row, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    if (params[i] instanceof Long n) {
                        ps.setLong(i + 1, n);
                    } else {
                        ps.setString(i + 1, (String) params[i]);
                    }
                }
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.of(rs));
                    }
                }
                return out;
            }
        });
    }

    private static void decimal(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.NUMERIC);
        } else {
            ps.setBigDecimal(i, v);
        }
    }

    /** A decimal as stored: SQLite may hand back an integer or a double for NUMERIC; the text of the number is what was given. */
    private static BigDecimal decimal(ResultSet rs, int i) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        return org.orbita.market.Market.plain(v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
    }
}
