package org.orbita.audiences;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.audiences.Condition.Aggregate;
import org.orbita.audiences.Condition.Did;
import org.orbita.audiences.Condition.Function;
import org.orbita.audiences.Condition.Group;
import org.orbita.audiences.Condition.Match;
import org.orbita.audiences.Condition.Operator;
import org.orbita.audiences.Condition.Window;
import org.orbita.common.InvalidInputException;
import org.orbita.market.Market;
import org.orbita.market.MarketStore;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The built-in RFM segments of a client database: recency, frequency and monetary value of each
 * buyer's orders sorted into six groups that do not overlap — Champions, Loyal, New, Needs
 * attention, At risk, Lost. They are ordinary dynamic segments over the buyers' {@code order.created}
 * events (so the rules engine keeps them in real time, the batch path agrees, and each
 * membership is explained condition by condition); only their thresholds come from the data, set
 * when they are built from a sample of the database's buyers in the market's tables:
 * <ul>
 *   <li>recent: an order in the last {@code recentDays} (the buyers' third most recent, 7 at least);</li>
 *   <li>lapsed: none in the last {@code lapsedDays} (two thirds, and a week past recent at least);</li>
 *   <li>frequent: {@code frequentOrders} orders or more (the top fifth, 3 at least);</li>
 *   <li>big spender: orders summing to {@code bigSpend} or more (the top fifth; totals are summed
 *   as given, whatever their currency).</li>
 * </ul>
 * Building again recomputes the thresholds and updates the same segments, keeping names given them (a deleted one is made again).
 */
public final class RfmSegments {

    /** Buyers looked at for the thresholds, at most (a uniform sample beyond). */
    static final int SAMPLE = 100_000;

    public record Thresholds(int recentDays, int lapsedDays, long frequentOrders, BigDecimal bigSpend, long buyers) {}

    public record Built(Thresholds thresholds, List<Segment> segments) {}

    /** The segments made for a database, by group, so building again updates them. */
    record Kept(String id, Map<String, String> segments) {}

    public static final List<String> GROUPS = List.of("champions", "loyal", "new", "needs_attention", "at_risk", "lost");
    private static final Map<String, String> NAMES = Map.of("champions", "RFM: Champions", "loyal", "RFM: Loyal", "new", "RFM: New",
            "needs_attention", "RFM: Needs attention", "at_risk", "RFM: At risk", "lost", "RFM: Lost");

    private final Segments segments;
    private final MarketStore market;
    private final ClientDatabases databases;
    private final Documents<Kept> kept;
    private final Access access;
    private final Clock clock;

    public RfmSegments(Segments segments, MarketStore market, ClientDatabases databases, SettingsStore settings, Access access, Clock clock) {
        this.segments = segments;
        this.market = market;
        this.databases = databases;
        this.kept = new Documents<>(settings, "market-rfm", Kept.class, Kept::id);
        this.access = access;
        this.clock = clock;
    }

    /** Sets the thresholds from the database's buyers and makes (or updates) the six segments. */
    public Built build(String workspaceId, String databaseId) {
        access.require(Resource.MARKET, Action.READ);
        access.require(Resource.SEGMENTS, Action.WRITE);
        ClientDatabase db = databases.resolve(workspaceId, databaseId)
                .orElseThrow(() -> new InvalidInputException("database", databaseId, "a client database of the workspace"));
        Thresholds t = thresholds(workspaceId, db.id());
        Map<String, Condition> definitions = definitions(t);
        String key = workspaceId + "/" + db.id();
        Map<String, String> ids = new LinkedHashMap<>(kept.get(key).map(Kept::segments).orElse(Map.of()));
        List<SegmentInput> toMake = new ArrayList<>();
        List<String> groupsToMake = new ArrayList<>();
        Map<String, Segment> out = new LinkedHashMap<>();
        for (String group : GROUPS) {
            String id = ids.get(group);
            Optional<Segment> existing = id == null ? Optional.empty() : segments.find(id).filter(s -> s.databaseId().equals(db.id()));
            if (existing.isPresent()) {
                // the thresholds change; a name the team gave it stays
                out.put(group, segments.update(id, new SegmentInput(db.id(), existing.get().name(), Segment.Kind.DYNAMIC, definitions.get(group))));
            } else {
                toMake.add(new SegmentInput(db.id(), NAMES.get(group), Segment.Kind.DYNAMIC, definitions.get(group)));
                groupsToMake.add(group);
            }
        }
        List<Segment> made = segments.createMany(workspaceId, toMake);
        for (int i = 0; i < made.size(); i++) {
            out.put(groupsToMake.get(i), made.get(i));
            ids.put(groupsToMake.get(i), made.get(i).id());
        }
        kept.put(new Kept(key, ids));
        List<Segment> ordered = new ArrayList<>();
        GROUPS.forEach(g -> ordered.add(out.get(g)));
        return new Built(t, ordered);
    }

    /** The thresholds from (a uniform sample of) the database's buyers; a database without orders has none. */
    Thresholds thresholds(String workspaceId, String databaseId) {
        Instant now = clock.instant();
        long[] recency = new long[SAMPLE];
        long[] counts = new long[SAMPLE];
        BigDecimal[] spent = new BigDecimal[SAMPLE];
        long[] seen = {0};
        Random random = new Random(42);
        market.buyers(workspaceId, databaseId, b -> {
            long n = seen[0]++;
            long j = n < SAMPLE ? n : random.nextLong(n + 1); // Vitter's algorithm R: each buyer kept with the same chance
            int at = j < SAMPLE ? (int) j : -1;
            if (at >= 0) {
                recency[at] = Math.max(0, Duration.between(b.last(), now).toDays());
                counts[at] = b.orders();
                spent[at] = b.spent() == null ? BigDecimal.ZERO : b.spent();
            }
        });
        int n = (int) Math.min(seen[0], SAMPLE);
        if (n == 0) {
            throw new InvalidInputException("database", databaseId, "has no orders yet: the RFM thresholds come from its buyers' orders");
        }
        long[] r = Arrays.copyOf(recency, n);
        long[] c = Arrays.copyOf(counts, n);
        BigDecimal[] m = Arrays.copyOf(spent, n);
        Arrays.sort(r);
        Arrays.sort(c);
        Arrays.sort(m);
        int recent = (int) Math.max(7, r[rank(n, 1, 3)] + 1);
        int lapsed = (int) Math.max(recent + 7, r[rank(n, 2, 3)] + 1);
        long frequent = Math.max(3, c[rank(n, 4, 5)]);
        BigDecimal big = Market.plain(m[rank(n, 4, 5)].setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE));
        return new Thresholds(recent, Math.min(lapsed, 3_650), frequent, big, seen[0]);
    }

    /** The index of the quantile num/den in n sorted values. */
    private static int rank(int n, int num, int den) {
        return Math.min(n - 1, Math.max(0, (int) Math.ceil((double) n * num / den) - 1));
    }

    /** The six groups as conditions on order.created: see the class. */
    static Map<String, Condition> definitions(Thresholds t) {
        Condition recent = new Did("order.created", null, null, null, null, new Window(t.recentDays(), null, null));
        Condition notRecent = new Did("order.created", null, null, null, 0, new Window(t.recentDays(), null, null));
        Condition withinLapse = new Did("order.created", null, null, null, null, new Window(t.lapsedDays(), null, null));
        Condition lapsed = new Group(Match.ALL, List.of(new Did("order.created", null, null, null, null, null),
                new Did("order.created", null, null, null, 0, new Window(t.lapsedDays(), null, null))));
        Condition lapsing = new Group(Match.ALL, List.of(withinLapse, notRecent));
        Condition one = orders(Operator.LTE, 1);
        Condition repeat = new Group(Match.ALL, List.of(orders(Operator.GTE, 2), orders(Operator.LT, t.frequentOrders())));
        Condition frequent = orders(Operator.GTE, t.frequentOrders());
        Condition big = new Aggregate("order.created", Function.SUM, "total", null, Operator.GTE, t.bigSpend(), null, null);
        Condition notBig = new Aggregate("order.created", Function.SUM, "total", null, Operator.LT, t.bigSpend(), null, null);
        Map<String, Condition> out = new LinkedHashMap<>();
        out.put("champions", all(recent, frequent, big));
        out.put("loyal", new Group(Match.ANY, List.of(all(recent, frequent, notBig), all(recent, repeat), all(lapsing, frequent))));
        out.put("new", all(recent, one));
        out.put("needs_attention", all(lapsing, orders(Operator.LT, t.frequentOrders())));
        out.put("at_risk", all(lapsed, orders(Operator.GTE, 2)));
        out.put("lost", all(lapsed, one));
        return out;
    }

    private static Condition orders(Operator op, long n) {
        return new Aggregate("order.created", Function.COUNT, null, null, op, n, null, null);
    }

    private static Condition all(Condition... parts) {
        return new Group(Match.ALL, List.of(parts));
    }
}
