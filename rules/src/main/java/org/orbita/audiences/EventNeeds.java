package org.orbita.audiences;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.orbita.profiles.DatabaseSchema;

/**
 * Which events a set of definitions can look at — their types and how far back — so
 * evaluation reads only those from the event log.
 *
 * @param any whether any definition looks at events at all
 * @param types the event types looked at
 * @param daysBack how many days back from now they can reach (null: all of history)
 * @param earliest the earliest fixed date a window starts at (null: none)
 */
public record EventNeeds(boolean any, Set<String> types, Integer daysBack, LocalDate earliest, boolean ever) {

    public static EventNeeds of(DatabaseSchema schema, List<Condition> definitions) {
        Acc acc = new Acc();
        definitions.forEach(d -> acc.visit(d, schema));
        return new EventNeeds(!acc.types.isEmpty(), Set.copyOf(acc.types), acc.days, acc.earliest, acc.ever);
    }

    /** The first moment events are needed from, or null for all of history. */
    public Instant since(long nowMillis) {
        if (ever) {
            return null;
        }
        long from = Long.MAX_VALUE;
        if (daysBack != null) {
            from = nowMillis - daysBack * 86_400_000L;
        }
        if (earliest != null) {
            from = Math.min(from, earliest.toEpochDay() * 86_400_000L);
        }
        return from == Long.MAX_VALUE ? null : Instant.ofEpochMilli(from);
    }

    private static final class Acc {
        final Set<String> types = new HashSet<>();
        Integer days;
        LocalDate earliest;
        boolean ever;

        void window(Condition.Window w) {
            if (w == null) {
                ever = true;
            } else if (w.lastDays() != null) {
                days = days == null ? w.lastDays() : Math.max(days, w.lastDays());
            } else {
                earliest = earliest == null || w.from().isBefore(earliest) ? w.from() : earliest;
            }
        }

        void visit(Condition c, DatabaseSchema schema) {
            switch (c) {
                case Condition.Group g -> g.conditions().forEach(x -> visit(x, schema));
                case Condition.Did d -> {
                    types.add(d.event());
                    window(d.window());
                }
                case Condition.Aggregate a -> {
                    types.add(a.event());
                    window(a.window());
                }
                case Condition.LastEvent l -> {
                    types.add(l.event());
                    window(l.window());
                }
                case Condition.Custom x -> calls(CustomExpression.parse(x.expression(), schema));
                case Condition.Promo x -> visit(x.expand(), schema);
                default -> {
                }
            }
        }

        void calls(CustomExpression.Node n) {
            switch (n) {
                case CustomExpression.Call call when call.name().equals("eventCount") -> {
                    types.add((String) call.args().get(0));
                    window(new Condition.Window((Integer) call.args().get(1), null, null));
                }
                case CustomExpression.Unary u -> calls(u.operand());
                case CustomExpression.Binary b -> {
                    calls(b.left());
                    calls(b.right());
                }
                default -> {
                }
            }
        }
    }
}
