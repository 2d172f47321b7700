package org.orbita.market;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.UnavailableException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.market.Market.Category;
import org.orbita.market.Market.Line;
import org.orbita.market.Market.Order;
import org.orbita.market.Market.Product;
import org.orbita.market.Market.Sku;
import org.orbita.market.Market.StatusChange;
import org.orbita.market.Market.Touchpoint;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileKey;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.tabular.CsvSource;
import org.orbita.tabular.XlsxSource;

/**
 * The market (Altcraft's {@code market/orders/import} and {@code products/import}): touchpoints,
 * the catalogue, and orders imported in batches of up to {@value #MAX_BATCH}, idempotent by the
 * shop's ids — each order's buyer found by profile id or a unique field (created when missing),
 * its lines' products known or added as placeholders, its status one of {@link Market#STATUSES}
 * or a shop's own mapped onto one, a late status (older than the one stored) kept in the history
 * without turning the order back. What changed reaches the profile's history: {@code order.created}
 * with {@code order.item} per line, {@code order.status_changed} — segments, trigger campaigns,
 * journeys, conversions and reports hear it.
 */
public final class Markets {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Markets.class);

    public static final int MAX_BATCH = 10_000;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");
    static final Pattern TOUCHPOINT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public record Customer(String profileId, String matching, Object value) {}

    public record LineInput(String product, String sku, String name, String category, BigDecimal quantity, BigDecimal price, BigDecimal amount) {}

    /** An order as a shop sends it; {@code statusAt}: when its status became what it says (default: now). */
    public record OrderInput(String id, String touchpoint, String database, Customer customer, String status, String customStatus,
                             String currency, BigDecimal total, Instant created, Instant statusAt, List<LineInput> lines) {}

    public record Rejected(int index, String id, List<FieldError> errors) {}

    /** What a batch did: orders created, changed, the same as stored, refused (by index, with every problem). */
    public record Report(int received, int created, int updated, int unchanged, int profilesCreated, List<Rejected> rejected) {}

    /** A shop's own statuses (lower case) mapped onto Orbita's, per workspace. */
    public record StatusMap(String workspaceId, Map<String, String> map) {}

    private final MarketStore store;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final EventLog events;
    private final Object unloggedLock = new Object();
    /** Batches whose events this process is appending now, and those it failed to append (logged again at once, not after a minute). */
    private final Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How old another process's unlogged batch must be before it is taken as failed rather than being logged now. */
    private static final java.time.Duration UNLOGGED_SETTLED = java.time.Duration.ofMinutes(1);
    private final Documents<StatusMap> statusMaps;
    private final Access access;
    private final Clock clock;

    public Markets(MarketStore store, SettingsStore settings, ClientDatabases databases, ProfileStore profiles, ProfileWriting writing,
                   EventLog events, Access access, Clock clock) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
        this.events = events;
        this.statusMaps = new Documents<>(settings, "market-statuses", StatusMap.class, StatusMap::workspaceId);
        this.access = access;
        this.clock = clock;
    }

    /** Hears the products of a catalogue batch whose price dropped or that came back in stock. */
    @FunctionalInterface
    public interface ProductChanges {
        void changed(String workspaceId, List<ShopActivity.ProductChange> changes);
    }

    private volatile ProductChanges productChanges = (ws, changes) -> { };

    /** Who tells the viewers of changed products (the shop activity, once built). */
    public void onProductChanges(ProductChanges listener) {
        this.productChanges = listener;
    }

    public MarketStore store() {
        return store;
    }

    // ---- touchpoints and statuses

    public List<Touchpoint> touchpoints(String workspaceId) {
        access.require(Resource.MARKET, Action.READ);
        return store.touchpoints(workspaceId);
    }

    public Touchpoint saveTouchpoint(String workspaceId, Touchpoint t) {
        access.require(Resource.MARKET, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        if (t == null || t.id() == null || !TOUCHPOINT.matcher(t.id()).matches()) {
            errors.add(FieldError.of("id", t == null ? null : t.id(), "1–64 lower-case letters, digits, '_' or '-'"));
        }
        if (t == null || t.name() == null || t.name().isBlank() || t.name().length() > 200) {
            errors.add(FieldError.of("name", t == null ? null : t.name(), "1 to 200 characters"));
        }
        Optional<ClientDatabase> db = t == null || t.databaseId() == null ? Optional.empty() : databases.resolve(workspaceId, t.databaseId());
        if (db.isEmpty()) {
            errors.add(FieldError.of("database", t == null ? null : t.databaseId(), "a client database of the workspace: the touchpoint's buyers"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Touchpoint saved = new Touchpoint(t.id(), t.name().strip(), db.get().id());
        store.putTouchpoint(workspaceId, saved);
        return access.recorded(Resource.MARKET, Action.WRITE, null, saved);
    }

    public void deleteTouchpoint(String workspaceId, String id) {
        access.require(Resource.MARKET, Action.DELETE);
        if (!store.deleteTouchpoint(workspaceId, id)) {
            throw new NotFoundException("touchpoint", id);
        }
        access.changed(Resource.MARKET, Action.DELETE, id, id, null);
    }

    public Map<String, String> statusMap(String workspaceId) {
        access.require(Resource.MARKET, Action.READ);
        return statusMaps.get(workspaceId).map(StatusMap::map).orElse(Map.of());
    }

    /** Maps a shop's own statuses onto Orbita's (Altcraft's custom line statuses): {@code {"shipped": "in_process", …}}. */
    public Map<String, String> saveStatusMap(String workspaceId, Map<String, String> map) {
        access.require(Resource.MARKET, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> clean = new LinkedHashMap<>();
        (map == null ? Map.<String, String>of() : map).forEach((k, v) -> {
            if (k == null || k.isBlank() || k.length() > 64) {
                errors.add(FieldError.of("map", k, "a shop's status: 1 to 64 characters"));
            } else if (v == null || !Market.STATUSES.contains(v)) {
                errors.add(FieldError.of("map." + k, v, "one of " + Market.STATUSES));
            } else {
                clean.put(k.strip().toLowerCase(Locale.ROOT), v);
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        statusMaps.put(new StatusMap(workspaceId, clean));
        access.changed(Resource.MARKET, Action.WRITE, "statuses", null, clean);
        return clean;
    }

    // ---- orders

    public Optional<Order> order(String workspaceId, String id) {
        access.require(Resource.MARKET, Action.READ);
        return Optional.ofNullable(store.orders(workspaceId, List.of(id)).get(id));
    }

    public List<StatusChange> history(String workspaceId, String id) {
        access.require(Resource.MARKET, Action.READ);
        return store.history(workspaceId, id);
    }

    public List<Order> ordersOf(String workspaceId, String databaseId, String profileId) {
        access.require(Resource.MARKET, Action.READ);
        return store.ordersOf(workspaceId, databaseId, profileId, 100);
    }

    /** A valid order ready to store, with what it needs that is not stored yet. */
    private record Valid(int index, OrderInput in, ClientDatabase db, String profileId, ProfileChange newProfile, String status, String custom,
                         String currency, BigDecimal total, Instant created, Instant statusAt, List<Line> lines) {}

    /** Imports a batch of orders; see the class. */
    public Report importOrders(String workspaceId, List<OrderInput> batch) {
        access.require(Resource.MARKET, Action.WRITE);
        logUnlogged(workspaceId);
        if (batch == null || batch.isEmpty()) {
            throw new InvalidInputException("orders", null, "at least one order");
        }
        if (batch.size() > MAX_BATCH) {
            throw new InvalidInputException("orders", batch.size(), "at most " + MAX_BATCH + " a call");
        }
        Instant now = clock.instant();
        Map<String, Touchpoint> touchpoints = new HashMap<>();
        store.touchpoints(workspaceId).forEach(t -> touchpoints.put(t.id(), t));
        Map<String, String> customs = statusMaps.get(workspaceId).map(StatusMap::map).orElse(Map.of());
        List<Rejected> rejected = new ArrayList<>();
        List<Valid> valid = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Optional<String>> owners = buyersById(workspaceId, batch, touchpoints);
        for (int i = 0; i < batch.size(); i++) {
            OrderInput in = batch.get(i);
            List<FieldError> errors = new ArrayList<>();
            Valid v = in == null ? null : check(workspaceId, i, in, touchpoints, customs, owners, now, errors);
            if (in == null) {
                errors.add(FieldError.of("orders[" + i + "]", null, "must be an object"));
            } else if (in.id() != null && seen.putIfAbsent(in.id(), i) != null) {
                errors.add(FieldError.of("id", in.id(), "appears twice in this batch (first at index " + seen.get(in.id()) + "): send one state of an order"));
            }
            if (errors.isEmpty()) {
                valid.add(v);
            } else {
                rejected.add(new Rejected(i, in == null ? null : in.id(), errors));
            }
        }
        int profilesCreated = 0;
        Map<String, String> made = new HashMap<>();
        for (int k = 0; k < valid.size(); k++) {
            Valid v = valid.get(k);
            if (v.profileId() == null) {
                String key = v.db().id() + '\u0000' + v.newProfile().matching() + '\u0000' + v.newProfile().matchingValue();
                String id = made.get(key);
                if (id == null) {
                    id = writing.write(v.db(), v.newProfile(), WriteMode.UPSERT, ProfileSource.ORDER).profile().id();
                    made.put(key, id);
                    profilesCreated++;
                }
                valid.set(k, new Valid(v.index(), v.in(), v.db(), id, null, v.status(), v.custom(), v.currency(), v.total(), v.created(),
                        v.statusAt(), v.lines()));
            }
        }
        // lines naming products the catalogue does not have yet: placeholders (the order is not refused for a late catalogue)
        Set<String> named = new HashSet<>();
        valid.forEach(v -> v.lines().forEach(l -> named.add(l.productId())));
        Set<String> known = store.knownProducts(workspaceId, named);
        Map<String, Product> placeholders = new LinkedHashMap<>();
        for (Valid v : valid) {
            for (Line l : v.lines()) {
                if (!known.contains(l.productId())) {
                    placeholders.putIfAbsent(l.productId(), new Product(l.productId(), l.name() == null ? l.productId() : l.name(), null, null, l.price(),
                            v.currency(), l.categoryId(), null, true, true, now));
                }
            }
        }
        store.ensureProducts(workspaceId, placeholders.values());

        Map<String, Order> before = store.orders(workspaceId, valid.stream().map(v -> v.in().id()).toList());
        List<Order> write = new ArrayList<>();
        List<StatusChange> changes = new ArrayList<>();
        List<Event> out = new ArrayList<>();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (Valid v : valid) {
            Order old = before.get(v.in().id());
            Order next = new Order(v.in().id(), v.in().touchpoint(), v.db().id(), v.profileId(), v.status(), v.custom(), v.currency(), v.total(),
                    v.created(), v.statusAt(), v.lines());
            if (old == null) {
                write.add(next);
                changes.add(new StatusChange(next.id(), null, next.status(), next.customStatus(), next.updated(), true));
                created(next, out);
                created++;
                continue;
            }
            boolean late = v.statusAt().isBefore(old.updated());
            boolean statusMoved = !old.status().equals(next.status()) || !Objects.equals(old.customStatus(), next.customStatus());
            Order stored = late ? new Order(next.id(), next.touchpoint(), next.databaseId(), next.profileId(), old.status(), old.customStatus(),
                    next.currency(), next.total(), old.created(), old.updated(), next.lines()) : next;
            if (same(old, stored) && !(late && statusMoved)) {
                unchanged++;
                continue;
            }
            write.add(stored);
            if (statusMoved) {
                StatusChange change = new StatusChange(next.id(), old.status(), next.status(), next.customStatus(), v.statusAt(), !late);
                changes.add(change);
                if (!late) {
                    statusChanged(next, change, out);
                }
            }
            updated++;
        }
        Map<String, Integer> linesBefore = new HashMap<>();
        before.forEach((id, o) -> linesBefore.put(id, o.lines().size()));
        // the changes that made events kept with the orders until the events are logged: a failure or a crash between the
        // two leaves them to be logged again (by the next batch, or within a minute), not lost to a retry that finds the orders unchanged
        Market.Unlogged unlogged = out.isEmpty() ? null
                : new Market.Unlogged(workspaceId, Ids.next(), changes.stream().filter(StatusChange::applied).toList());
        store.putOrders(workspaceId, write, changes, linesBefore, unlogged);
        if (unlogged != null) {
            inFlight.add(unlogged.id());
            try {
                events.append(out);
            } catch (RuntimeException e) {
                failed.add(unlogged.id());
                log.error("Market: {} orders stored, their events not logged; logged again within a minute", write.size(), e);
                throw new UnavailableException("The orders are stored but their events could not be logged yet (the event log did not answer);"
                        + " they are logged when it answers again. Sending the batch again is safe.", java.time.Duration.ofSeconds(5), e);
            } finally {
                inFlight.remove(unlogged.id());
            }
            store.logged(workspaceId, unlogged.id());
        }
        access.changed(Resource.MARKET, Action.WRITE, "orders", null, Map.of("created", created, "updated", updated));
        return new Report(batch.size(), created, updated, unchanged, profilesCreated, rejected);
    }

    /**
     * The buyers a batch names by profile id, looked up together (a batch of 10,000 orders names thousands), keyed as
     * {@link #check} keys its look-ups; ids not found here (merged ones, unknown ones) are left for it to look up one by one.
     */
    private Map<String, Optional<String>> buyersById(String workspaceId, List<OrderInput> batch, Map<String, Touchpoint> touchpoints) {
        Map<String, Optional<String>> byName = new HashMap<>();
        Map<String, Set<String>> named = new HashMap<>();
        for (OrderInput in : batch) {
            if (in == null || in.customer() == null || in.customer().profileId() == null) {
                continue;
            }
            String dbId = null;
            if (in.touchpoint() != null) {
                Touchpoint t = touchpoints.get(in.touchpoint());
                dbId = t == null ? null : t.databaseId();
            } else if (in.database() != null) {
                dbId = byName.computeIfAbsent(in.database(), d -> databases.resolve(workspaceId, d).map(ClientDatabase::id)).orElse(null);
            }
            if (dbId != null) {
                named.computeIfAbsent(dbId, k -> new HashSet<>()).add(in.customer().profileId());
            }
        }
        Map<String, Optional<String>> owners = new HashMap<>();
        named.forEach((dbId, ids) -> profiles.existing(dbId, ids).forEach(id -> owners.put(dbId + "\u0000id\u0000" + id, Optional.of(id))));
        return owners;
    }

    private static boolean same(Order a, Order b) {
        return a.status().equals(b.status()) && Objects.equals(a.customStatus(), b.customStatus()) && a.currency().equals(b.currency())
                && a.total().compareTo(b.total()) == 0 && a.profileId().equals(b.profileId()) && a.databaseId().equals(b.databaseId())
                && Objects.equals(a.touchpoint(), b.touchpoint()) && a.lines().size() == b.lines().size() && sameLines(a.lines(), b.lines());
    }

    private static boolean sameLines(List<Line> a, List<Line> b) {
        for (int i = 0; i < a.size(); i++) {
            Line x = a.get(i);
            Line y = b.get(i);
            if (!x.productId().equals(y.productId()) || !Objects.equals(x.skuId(), y.skuId()) || x.quantity().compareTo(y.quantity()) != 0
                    || x.price().compareTo(y.price()) != 0 || x.amount().compareTo(y.amount()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** When an id of {@link Ids#next} was made (its first 48 bits, UUID version 7). */
    private static long made(String id) {
        return java.util.UUID.fromString(id).getMostSignificantBits() >>> 16;
    }

    /** A new order's events: {@code order.created} and an {@code order.item} per line. */
    private static void created(Order o, List<Event> out) {
        out.add(event(o, "order.created", "created", o.created(), Map.of("status", o.status(), "total", o.total(), "currency", o.currency(),
                "items", o.lines().size())));
        for (Line l : o.lines()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("product", l.productId());
            if (l.skuId() != null) {
                p.put("sku", l.skuId());
            }
            if (l.categoryId() != null) {
                p.put("category", l.categoryId());
            }
            p.put("quantity", l.quantity());
            p.put("price", l.price());
            p.put("amount", l.amount());
            p.put("currency", o.currency());
            out.add(event(o, "order.item", "item " + l.n(), o.created(), p));
        }
    }

    /** An applied status change's {@code order.status_changed}. */
    private static void statusChanged(Order o, StatusChange s, List<Event> out) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", s.from());
        p.put("to", s.to());
        if (s.customStatus() != null) {
            p.put("custom_status", s.customStatus());
        }
        p.put("total", o.total());
        p.put("currency", o.currency());
        out.add(event(o, "order.status_changed", "status " + s.at().toEpochMilli() + " " + s.to(), s.at(), p));
    }

    /**
     * An order's event, its id made from what it tells (the order, the kind, the line or the change), so the same
     * event made again — by {@link #logUnlogged} after a failure — is known by the log ({@link EventLog#existing}).
     */
    private static Event event(Order o, String type, String which, Instant at, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("order", o.id());
        if (o.touchpoint() != null) {
            p.put("touchpoint", o.touchpoint());
        }
        p.putAll(extra);
        String id = java.util.UUID.nameUUIDFromBytes((o.databaseId() + '\n' + o.id() + '\n' + which).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return new Event(id, o.databaseId(), o.profileId(), type, null, at, p);
    }

    /**
     * Logs the events of batches stored while the event log did not answer (of a workspace; null: of every one), those
     * the log does not already hold; how many batches. The next batch of the workspace and a minutely task call it.
     */
    public int logUnlogged(String workspaceId) {
        synchronized (unloggedLock) {
            int batches = 0;
            long settled = clock.millis() - UNLOGGED_SETTLED.toMillis();
            for (boolean more = true; more; ) {
                List<Market.Unlogged> page = store.unlogged(workspaceId, 16);
                more = page.size() == 16;
                for (Market.Unlogged u : page) {
                    // a batch another caller (or node) is logging now is left to it: one this process failed to log, or an older one
                    if (inFlight.contains(u.id()) || !failed.contains(u.id()) && made(u.id()) > settled) {
                        more = false;
                        continue;
                    }
                    Map<String, Order> orders = store.orders(u.workspaceId(), u.changes().stream().map(StatusChange::orderId).distinct().toList());
                    Map<String, List<Event>> byDatabase = new LinkedHashMap<>();
                    for (StatusChange c : u.changes()) {
                        Order o = orders.get(c.orderId());
                        if (o == null) {
                            continue; // stored with its change in one transaction: only gone if removed since
                        }
                        List<Event> made = byDatabase.computeIfAbsent(o.databaseId(), k -> new ArrayList<>());
                        if (c.from() == null) {
                            created(o, made);
                        } else {
                            statusChanged(o, c, made);
                        }
                    }
                    for (Map.Entry<String, List<Event>> e : byDatabase.entrySet()) {
                        List<Event> made = e.getValue();
                        Instant from = made.stream().map(Event::time).min(Instant::compareTo).orElseThrow();
                        Instant to = made.stream().map(Event::time).max(Instant::compareTo).orElseThrow();
                        Set<String> there = events.existing(e.getKey(), made.stream().map(Event::id).toList(), from, to);
                        List<Event> missing = made.stream().filter(ev -> !there.contains(ev.id())).toList();
                        if (!missing.isEmpty()) {
                            events.append(missing);
                        }
                    }
                    store.logged(u.workspaceId(), u.id());
                    failed.remove(u.id());
                    batches++;
                }
            }
            return batches;
        }
    }

    private Valid check(String workspaceId, int index, OrderInput in, Map<String, Touchpoint> touchpoints, Map<String, String> customs,
                        Map<String, Optional<String>> owners, Instant now, List<FieldError> errors) {
        if (in.id() == null || !ID.matcher(in.id()).matches()) {
            errors.add(FieldError.of("id", in.id(), "the shop's order id: 1–128 letters, digits and _ . : / -"));
        }
        ClientDatabase db = null;
        if (in.touchpoint() != null) {
            Touchpoint t = touchpoints.get(in.touchpoint());
            if (t == null) {
                errors.add(FieldError.of("touchpoint", in.touchpoint(), "no such touchpoint: make it first (POST /api/v1/market/touchpoints)"));
            } else {
                db = databases.find(t.databaseId()).orElse(null);
            }
        } else if (in.database() != null) {
            db = databases.resolve(workspaceId, in.database()).orElse(null);
            if (db == null) {
                errors.add(FieldError.of("database", in.database(), "no such database"));
            }
        } else {
            errors.add(FieldError.of("touchpoint", null, "is required (or database): where the buyer is"));
        }
        String profileId = null;
        ProfileChange newProfile = null;
        Customer c = in.customer();
        if (c == null || (c.profileId() == null && (c.matching() == null || c.value() == null))) {
            errors.add(FieldError.of("customer", null, "the buyer: {profileId} or {matching: a unique field, value}"));
        } else if (db != null) {
            if (c.profileId() != null) {
                ClientDatabase d = db;
                profileId = owners.computeIfAbsent(db.id() + "\u0000id\u0000" + c.profileId(), k -> profiles.find(d.id(), c.profileId()).map(p -> p.id())
                        .or(() -> profiles.findOwner(d.id(), ProfileKey.mergedId(c.profileId())))).orElse(null);
                if (profileId == null) {
                    errors.add(FieldError.of("customer.profileId", c.profileId(), "no such profile in database " + db.publicId()));
                }
            } else {
                Optional<FieldDefinition> f = db.schema().field(c.matching()).filter(FieldDefinition::unique);
                if (f.isEmpty()) {
                    errors.add(FieldError.of("customer.matching", c.matching(), "a unique field of database " + db.publicId()));
                } else {
                    try {
                        String value = String.valueOf(f.get().convert(c.value()));
                        ClientDatabase d = db;
                        profileId = owners.computeIfAbsent(db.id() + '\u0000' + c.matching() + '\u0000' + value,
                                k -> profiles.findOwner(d.id(), new ProfileKey(c.matching(), value))).orElse(null);
                        if (profileId == null) {
                            newProfile = new ProfileChange(c.matching(), c.value(), Map.of(c.matching(), c.value()), null, null, null);
                        }
                    } catch (IllegalArgumentException e) {
                        errors.add(FieldError.of("customer.value", c.value(), e.getMessage()));
                    }
                }
            }
        }
        String status = in.status() == null ? null : in.status().strip().toLowerCase(Locale.ROOT);
        String custom = in.customStatus() == null || in.customStatus().isBlank() ? null : in.customStatus().strip();
        if (status == null && custom != null) {
            status = customs.get(custom.toLowerCase(Locale.ROOT));
            if (status == null) {
                errors.add(FieldError.of("customStatus", custom, "not mapped onto " + Market.STATUSES + ": map it first (PUT /api/v1/market/statuses)"));
            }
        } else if (status == null) {
            status = "new";
        } else if (!Market.STATUSES.contains(status)) {
            errors.add(FieldError.of("status", in.status(), "one of " + Market.STATUSES + " (a shop's own goes in customStatus)"));
        }
        String currency = in.currency() == null ? null : in.currency().strip().toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(currency == null ? "" : currency);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("currency", in.currency(), "an ISO 4217 currency code (RUB, USD, EUR…)"));
        }
        List<Line> lines = new ArrayList<>();
        if (in.lines() == null || in.lines().isEmpty()) {
            errors.add(FieldError.of("lines", null, "at least one line"));
        } else if (in.lines().size() > 1000) {
            errors.add(FieldError.of("lines", in.lines().size(), "at most 1000 lines an order"));
        } else {
            for (int n = 0; n < in.lines().size(); n++) {
                LineInput l = in.lines().get(n);
                String at = "lines[" + n + "]";
                if (l == null) {
                    errors.add(FieldError.of(at, null, "must be an object"));
                    continue;
                }
                if (l.product() == null || !ID.matcher(l.product()).matches()) {
                    errors.add(FieldError.of(at + ".product", l.product(), "the product's id in the shop"));
                }
                if (l.quantity() == null || l.quantity().signum() <= 0) {
                    errors.add(FieldError.of(at + ".quantity", l.quantity(), "more than 0 (a return is a refunded status, not a negative line)"));
                }
                if (l.price() == null || l.price().signum() < 0) {
                    errors.add(FieldError.of(at + ".price", l.price(), "0 or more"));
                }
                if (l.amount() != null && l.amount().signum() < 0) {
                    errors.add(FieldError.of(at + ".amount", l.amount(), "0 or more"));
                }
                if (l.quantity() != null && l.price() != null && l.quantity().signum() > 0 && l.price().signum() >= 0) {
                    lines.add(new Line(n + 1, l.product(), l.sku(), l.name(), l.category(), l.quantity(), l.price(),
                            l.amount() != null ? l.amount() : l.quantity().multiply(l.price())));
                }
            }
        }
        BigDecimal total = in.total();
        if (total != null && total.signum() < 0) {
            errors.add(FieldError.of("total", total, "0 or more"));
        }
        if (total == null) {
            total = lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
        Instant created = in.created() == null ? now : in.created();
        Instant statusAt = in.statusAt() == null ? (in.created() == null ? now : created) : in.statusAt();
        if (created.isAfter(now.plusSeconds(86_400))) {
            errors.add(FieldError.of("created", in.created(), "not more than a day ahead"));
        }
        if (statusAt.isBefore(created)) {
            errors.add(FieldError.of("statusAt", in.statusAt(), "not before the order was created"));
        }
        return errors.isEmpty() ? new Valid(index, in, db, profileId, newProfile, status, custom, currency, total, created, statusAt, lines) : null;
    }

    // ---- what messages see

    /**
     * An order as templates see it ({@code {{ order.lines[0].name }}}): its status, totals and lines
     * with the catalogue's names, links and pictures, and what the shop's other buyers bought with
     * these products ({@code bought_together}) or most in the first line's category ({@code popular}),
     * each a product. Null when there is no such order. For the platform's senders: no permission asked.
     */
    public Map<String, Object> templateOrder(String workspaceId, String orderId) {
        Order o = store.orders(workspaceId, List.of(orderId)).get(orderId);
        if (o == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", o.id());
        out.put("status", o.status());
        if (o.customStatus() != null) {
            out.put("custom_status", o.customStatus());
        }
        out.put("currency", o.currency());
        out.put("total", o.total());
        out.put("created", o.created().toString());
        out.put("items_count", o.lines().size());
        List<Map<String, Object>> lines = new ArrayList<>();
        List<String> products = new ArrayList<>();
        for (Line l : o.lines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Optional<Product> p = store.product(workspaceId, l.productId());
            m.put("product", l.productId());
            if (l.skuId() != null) {
                m.put("sku", l.skuId());
            }
            m.put("name", l.name() != null ? l.name() : p.map(Product::name).orElse(l.productId()));
            p.map(Product::url).ifPresent(u -> m.put("url", u));
            p.map(Product::image).ifPresent(u -> m.put("image", u));
            m.put("quantity", l.quantity());
            m.put("price", l.price());
            m.put("amount", l.amount());
            lines.add(m);
            products.add(l.productId());
        }
        out.put("lines", lines);
        out.put("bought_together", Recommendations.boughtTogether(store, workspaceId, products));
        out.put("popular", Recommendations.popular(store, workspaceId, o.lines().isEmpty() ? null : o.lines().get(0).categoryId(), products));
        return out;
    }

    // ---- the catalogue

    public record ProductInput(String id, String name, String url, String image, BigDecimal price, String currency, String category, String vendor,
                               Boolean available, List<Sku> skus) {}

    public record CatalogReport(int products, int skus, int categories, List<Rejected> rejected) {}

    /** Adds or replaces products (with their SKUs) and categories, idempotent by id; each refused product reported. */
    public CatalogReport importCatalog(String workspaceId, List<Category> categories, List<ProductInput> products) {
        access.require(Resource.MARKET, Action.WRITE);
        List<Category> cats = categories == null ? List.of() : categories;
        List<ProductInput> prods = products == null ? List.of() : products;
        if (cats.size() + prods.size() > MAX_BATCH) {
            throw new InvalidInputException("products", prods.size(), "at most " + MAX_BATCH + " products and categories a call");
        }
        List<Rejected> rejected = new ArrayList<>();
        List<Category> okCats = new ArrayList<>();
        for (int i = 0; i < cats.size(); i++) {
            Category k = cats.get(i);
            if (k == null || k.id() == null || !ID.matcher(k.id()).matches() || k.name() == null || k.name().isBlank()) {
                rejected.add(new Rejected(i, k == null ? null : k.id(), List.of(FieldError.of("categories[" + i + "]", k == null ? null : k.id(),
                        "a category needs an id (letters, digits, _ . : / -) and a name"))));
            } else {
                okCats.add(new Category(k.id(), k.name().strip(), k.parentId()));
            }
        }
        Instant now = clock.instant();
        List<Product> okProducts = new ArrayList<>();
        List<Sku> skus = new ArrayList<>();
        for (int i = 0; i < prods.size(); i++) {
            ProductInput p = prods.get(i);
            List<FieldError> errors = new ArrayList<>();
            if (p == null || p.id() == null || !ID.matcher(p.id()).matches()) {
                errors.add(FieldError.of("id", p == null ? null : p.id(), "the product's id in the shop"));
            }
            if (p != null && (p.name() == null || p.name().isBlank() || p.name().length() > 500)) {
                errors.add(FieldError.of("name", p.name(), "1 to 500 characters"));
            }
            if (p != null && p.price() != null && p.price().signum() < 0) {
                errors.add(FieldError.of("price", p.price(), "0 or more"));
            }
            if (p != null && p.currency() != null) {
                try {
                    Currency.getInstance(p.currency().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.of("currency", p.currency(), "an ISO 4217 currency code"));
                }
            }
            if (!errors.isEmpty()) {
                rejected.add(new Rejected(cats.size() + i, p == null ? null : p.id(), errors));
                continue;
            }
            okProducts.add(new Product(p.id(), p.name().strip(), p.url(), p.image(), p.price(),
                    p.currency() == null ? null : p.currency().strip().toUpperCase(Locale.ROOT), p.category(), p.vendor(),
                    p.available() == null || p.available(), false, now));
            if (p.skus() != null) {
                for (Sku s : p.skus()) {
                    if (s != null && s.id() != null && ID.matcher(s.id()).matches()) {
                        skus.add(new Sku(s.id(), p.id(), s.name(), s.price(), s.available()));
                    }
                }
            }
        }
        Map<String, Product> before = store.products(workspaceId, okProducts.stream().map(Product::id).toList());
        store.putCatalog(workspaceId, okCats, okProducts, skus);
        productChanges.changed(workspaceId, ShopActivity.changes(before, okProducts));
        access.changed(Resource.MARKET, Action.WRITE, "catalog", null, Map.of("products", okProducts.size()));
        return new CatalogReport(okProducts.size(), skus.size(), okCats.size(), rejected);
    }

    /**
     * A product feed as a file — Yandex Market YML, Google Merchant XML, or CSV / XLSX (by the
     * file's name) — read as a stream in batches of {@value ProductFeeds#BATCH}; refused products
     * reported (the first thousand). A malformed file stops where it breaks (400 saying where);
     * the batches before it stay imported.
     */
    public CatalogReport importFeed(String workspaceId, String fileName, InputStream in) {
        access.require(Resource.MARKET, Action.WRITE);
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        int[] counts = new int[3];
        List<Rejected> refused = new ArrayList<>();
        BiConsumer<List<Category>, List<ProductInput>> batch = (cats, products) -> {
            CatalogReport r = importCatalog(workspaceId, cats, products);
            counts[0] += r.products();
            counts[1] += r.skus();
            counts[2] += r.categories();
            if (refused.size() < 1000) {
                refused.addAll(r.rejected());
            }
        };
        try {
            if (name.endsWith(".csv") || name.endsWith(".xlsx") || name.endsWith(".txt")) {
                readTable(name, in, rows -> ProductFeeds.readTable(rows, batch, refused));
            } else {
                ProductFeeds.readXml(in, batch, refused);
            }
        } catch (IOException e) {
            throw new InvalidInputException("file", fileName, e.getMessage());
        }
        return new CatalogReport(counts[0], counts[1], counts[2], refused.size() > 1000 ? refused.subList(0, 1000) : refused);
    }

    /**
     * Orders from a CSV or XLSX table ({@link OrderFiles}: a row per line), imported as {@link #importOrders} imports a call's
     * batch, {@value #MAX_BATCH} orders at a time. The report counts every order of the file; a refused one is named by the row
     * of its first line ({@code index}), the first 1,000 of them listed.
     */
    public Report importOrderFile(String workspaceId, String fileName, InputStream in) {
        access.require(Resource.MARKET, Action.WRITE);
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".txt") && !name.endsWith(".xlsx")) {
            throw new InvalidInputException("file", fileName, "a CSV (.csv, .txt) or XLSX table of order lines");
        }
        int[] counts = new int[6];
        List<Rejected> listed = new ArrayList<>(); // the first 1,000 refused: memory stays flat however many are
        Consumer<List<OrderFiles.Read>> batch = read -> {
            Report r = importOrders(workspaceId, read.stream().map(OrderFiles.Read::order).toList());
            counts[0] += r.received();
            counts[1] += r.created();
            counts[2] += r.updated();
            counts[3] += r.unchanged();
            counts[4] += r.profilesCreated();
            for (Rejected x : r.rejected()) {
                if (listed.size() < 1000) {
                    listed.add(new Rejected(read.get(x.index()).row(), x.id(), x.errors()));
                }
            }
        };
        Consumer<Rejected> unreadable = x -> { // refused by the reader: received too
            counts[5]++;
            if (listed.size() < 1000) {
                listed.add(x);
            }
        };
        try {
            readTable(name, in, rows -> OrderFiles.read(rows, MAX_BATCH, batch, unreadable));
        } catch (IOException e) {
            throw new InvalidInputException("file", fileName, e.getMessage());
        }
        listed.sort(java.util.Comparator.comparingInt(Rejected::index));
        return new Report(counts[0] + counts[5], counts[1], counts[2], counts[3], counts[4], listed);
    }

    private interface TableReader {
        void read(org.orbita.tabular.RowSource rows) throws IOException;
    }

    /** An uploaded table (CSV, or XLSX — which needs the whole file) through a temporary file, deleted after. */
    private static void readTable(String name, InputStream in, TableReader reader) throws IOException {
        Path tmp = Files.createTempFile("orbita-table-", name.endsWith(".xlsx") ? ".xlsx" : ".csv");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            reader.read(name.endsWith(".xlsx") ? new XlsxSource(tmp, 512L << 20) : CsvSource.of(tmp, null, null));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The latest orders of the workspace, newest first. */
    public List<Order> latestOrders(String workspaceId, int limit) {
        access.require(Resource.MARKET, Action.READ);
        return store.latestOrders(workspaceId, limit);
    }

    /** How many orders and order lines the workspace has. */
    public long[] counts(String workspaceId) {
        access.require(Resource.MARKET, Action.READ);
        return store.counts(workspaceId);
    }

    public List<Product> products(String workspaceId, String after, int limit) {
        access.require(Resource.MARKET, Action.READ);
        return store.products(workspaceId, after, limit);
    }

    public Product product(String workspaceId, String id) {
        access.require(Resource.MARKET, Action.READ);
        return store.product(workspaceId, id).orElseThrow(() -> new NotFoundException("product", id));
    }

    public List<Category> categories(String workspaceId) {
        access.require(Resource.MARKET, Action.READ);
        return store.categories(workspaceId);
    }
}
