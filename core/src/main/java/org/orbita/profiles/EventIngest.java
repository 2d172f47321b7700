package org.orbita.profiles;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.Json;
import org.orbita.common.Storable;
import org.orbita.events.Event;
import org.orbita.events.EventLog;

/**
 * Validates reported events, finds each one's profile by its matching key, and appends the
 * valid ones to the event log in one write (stored whole or not at all); invalid ones are
 * reported by their index. An event with an {@code id} (the caller's idempotency key) that
 * its database already holds, or that an earlier event of the batch has, is a repeat:
 * answered as stored, not stored again.
 */
public final class EventIngest {

    public static final int MAX_BATCH = 10_000;
    public static final int MAX_PROPERTIES_CHARS = 64 * 1024;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    /** Check-then-append of keyed events is serialised per key stripe, so two retries racing cannot both store. */
    private static final int STRIPES = 64;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    private final ProfileStore profiles;
    private final EventLog log;
    private final Clock clock;

    public EventIngest(ProfileStore profiles, EventLog log, Clock clock) {
        this.profiles = profiles;
        this.log = log;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** One rejected event: its index in the request and what is wrong with it. */
    public record Rejected(int index, List<FieldError> errors) {}

    /**
     * What happened to a batch: ids of the events (by index; null where rejected), and the
     * indexes of repeats, events whose id was already stored.
     */
    public record Outcome(List<String> ids, List<Rejected> rejected, List<Integer> repeats) {
        /** Events stored by this call. */
        public int accepted() {
            return (int) ids.stream().filter(id -> id != null).count() - repeats.size();
        }
    }

    /**
     * @param databases looks a database up among those the caller may use, by the id the caller
     *     knows it by or its storage key; events are stored under the key
     */
    public Outcome ingest(List<EventInput> given, Function<String, Optional<ClientDatabase>> databases) {
        return ingest(given, databases, List.of());
    }

    /**
     * The same, with events already made (a profile change's, say) stored first in the same append —
     * one write to the log instead of two — whether or not any of the given ones is taken.
     */
    public Outcome ingest(List<EventInput> given, Function<String, Optional<ClientDatabase>> databases, List<Event> before) {
        List<EventInput> inputs = new ArrayList<>(given.size());
        for (EventInput in : given) {
            inputs.add(in == null || in.database() == null ? in : databases.apply(in.database()).map(d -> in.withDatabase(d.id())).orElse(in));
        }
        List<Event> valid = new ArrayList<>(inputs.size());
        List<String> ids = new ArrayList<>(inputs.size());
        List<Rejected> rejected = new ArrayList<>();
        Map<String, Optional<String>> resolved = new HashMap<>();
        Map<String, Integer> keyed = new LinkedHashMap<>();
        List<Integer> repeats = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            EventInput in = inputs.get(i);
            List<FieldError> errors = new ArrayList<>();
            String profileId = in == null ? null : resolve(in, databases, errors, resolved);
            if (in != null) {
                if (in.type() == null || !TYPE.matcher(in.type()).matches()) {
                    errors.add(FieldError.of("type", in.type(), "must be 1-64 characters: a-z first, then a-z 0-9 _ . : -"));
                }
                if (in.id() != null && !KEY.matcher(in.id()).matches()) {
                    errors.add(FieldError.of("id", in.id(), "must be 1-64 characters: a letter or digit first, then letters, digits and _ . : -"));
                }
                if (in.time() != null && !Storable.isStorable(in.time())) {
                    errors.add(FieldError.of("time", in.time(), Storable.TIME_RULE));
                }
                if (in.channel() != null && !CHANNEL.matcher(in.channel()).matches()) {
                    errors.add(FieldError.of("channel", in.channel(), "must be 1-32 characters of a-z 0-9 _ -"));
                }
                if (in.properties() != null && jsonLengthBound(in.properties()) > MAX_PROPERTIES_CHARS
                        && Json.write(in.properties()).length() > MAX_PROPERTIES_CHARS) {
                    errors.add(FieldError.of("properties", null, "must be at most " + MAX_PROPERTIES_CHARS + " characters as JSON"));
                }
            } else {
                errors.add(FieldError.of("events[" + i + "]", null, "must be an object"));
            }
            if (errors.isEmpty() && in.id() != null && keyed.putIfAbsent(in.database() + '\u0000' + in.id(), i) != null) {
                repeats.add(i); // the same key earlier in this batch
                ids.add(in.id());
            } else if (errors.isEmpty()) {
                Event e = new Event(in.id() == null ? Ids.next() : in.id(), in.database(), profileId, in.type(), in.channel(),
                        in.time() == null ? clock.instant() : in.time(), in.properties());
                valid.add(e);
                ids.add(e.id());
            } else {
                rejected.add(new Rejected(i, errors));
                ids.add(null);
            }
        }
        if (keyed.isEmpty()) {
            log.append(withBefore(before, valid));
            return new Outcome(ids, rejected, repeats);
        }
        List<ReentrantLock> held = keyed.keySet().stream().map(k -> Math.floorMod(k.hashCode(), STRIPES)).distinct().sorted()
                .map(i -> stripes[i]).toList();
        held.forEach(ReentrantLock::lock);
        try {
            Set<String> stored = storedKeys(inputs, keyed);
            if (!stored.isEmpty()) {
                valid.removeIf(e -> stored.contains(e.databaseId() + '\u0000' + e.id()));
                stored.forEach(k -> repeats.add(keyed.get(k)));
                repeats.sort(null);
            }
            log.append(withBefore(before, valid));
        } finally {
            held.reversed().forEach(ReentrantLock::unlock);
        }
        return new Outcome(ids, rejected, repeats);
    }

    private static List<Event> withBefore(List<Event> before, List<Event> valid) {
        if (before.isEmpty()) {
            return valid;
        }
        List<Event> all = new ArrayList<>(before.size() + valid.size());
        all.addAll(before);
        all.addAll(valid);
        return all;
    }

    /** The keys (database and id) of this batch's keyed events that their databases already hold. */
    private Set<String> storedKeys(List<EventInput> inputs, Map<String, Integer> keyed) {
        Map<String, List<String>> byDatabase = new HashMap<>();
        for (Map.Entry<String, Integer> k : keyed.entrySet()) {
            EventInput in = inputs.get(k.getValue());
            byDatabase.computeIfAbsent(in.database(), d -> new ArrayList<>()).add(in.id());
        }
        Set<String> stored = new HashSet<>();
        byDatabase.forEach((db, keys) -> log.existing(db, keys).forEach(id -> stored.add(db + '\u0000' + id)));
        return stored;
    }

    /**
     * An upper bound of a value's length as JSON (every character escaped at worst), cheap
     * enough to skip serializing the properties of almost every event just to measure them.
     */
    static long jsonLengthBound(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof CharSequence cs) {
            return 6L * cs.length() + 2;
        }
        if (value instanceof Map<?, ?> map) {
            long n = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += jsonLengthBound(String.valueOf(e.getKey())) + 1 + jsonLengthBound(e.getValue()) + 1;
            }
            return n;
        }
        if (value instanceof Iterable<?> list) {
            long n = 2;
            for (Object item : list) {
                n += jsonLengthBound(item) + 1;
            }
            return n;
        }
        return 6L * String.valueOf(value).length() + 2;
    }

    private String resolve(EventInput in, Function<String, Optional<ClientDatabase>> databases, List<FieldError> errors,
            Map<String, Optional<String>> cache) {
        if (in.database() == null) {
            errors.add(FieldError.of("database", null, "is required"));
            return null;
        }
        Optional<ClientDatabase> db = databases.apply(in.database());
        if (db.isEmpty()) {
            errors.add(FieldError.of("database", in.database(), "no such database"));
            return null;
        }
        if (in.value() == null) {
            errors.add(FieldError.of("value", null, "is required: the value of the matching key"));
            return null;
        }
        String matching = in.matching() == null ? ProfileKey.MERGED_ID : in.matching();
        String value;
        if (matching.equals(ProfileKey.MERGED_ID)) {
            value = String.valueOf(in.value());
        } else {
            Optional<FieldDefinition> f = db.get().schema().field(matching).filter(FieldDefinition::unique);
            if (f.isEmpty()) {
                errors.add(FieldError.of("matching", matching, "must be 'id' or a unique field of database '" + in.database() + "'"));
                return null;
            }
            try {
                value = String.valueOf(f.get().convert(in.value()));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("value", in.value(), e.getMessage()));
                return null;
            }
        }
        String cacheKey = in.database() + '\u0000' + matching + '\u0000' + value;
        Optional<String> owner = cache.computeIfAbsent(cacheKey, k -> matching.equals(ProfileKey.MERGED_ID)
                ? profiles.find(in.database(), value).map(p -> p.id()).or(() -> profiles.findOwner(in.database(), ProfileKey.mergedId(value)))
                : profiles.findOwner(in.database(), new ProfileKey(matching, value)));
        if (owner.isEmpty()) {
            errors.add(FieldError.of("value", in.value(), "no profile with " + matching + " = this value"));
            return null;
        }
        return owner.get();
    }
}
