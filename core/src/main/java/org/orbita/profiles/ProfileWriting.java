package org.orbita.profiles;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.events.EventLog;

/**
 * Creates and changes profiles: validates values against the database schema, finds the
 * profile by its matching key, and resolves identities.
 *
 * <p>Identity rule: the profile found by the matching key is the survivor. Every other
 * profile that owns one of the written unique values is merged into it — the survivor's
 * fields win, the merged profile fills the gaps, subscriptions and relations are united,
 * and the merged id stays a key of the survivor — and a {@code profile.merged} event is
 * recorded. When the matching key finds nobody, the first owner of another written unique
 * value becomes the survivor.
 */
public final class ProfileWriting {

    private static final int ATTEMPTS = 3;

    private final ProfileStore store;
    private final EventLog events;
    private final Clock clock;
    private final Access access;

    public ProfileWriting(ProfileStore store, EventLog events, Clock clock, Access access) {
        this.access = access;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** Validates and writes one change; events are appended after the profile is stored. */
    public WriteResult write(ClientDatabase db, ProfileChange change, WriteMode mode, ProfileSource source) {
        Written written = writeAudited(db, change, mode, source);
        events.append(written.events());
        return written.result();
    }

    /**
     * One profile written by hand or by a call (permission checked, the change audited), its events
     * left to the caller to append — with others in one write to the log (an inbound call's event).
     */
    public Written writeAudited(ClientDatabase db, ProfileChange change, WriteMode mode, ProfileSource source) {
        access.require(Resource.PROFILES, Action.WRITE);
        return writeAudited(db, validate(db, change), mode, source);
    }

    /** The same with a change {@link #validate validated} before (on a request's thread, written by a group's writer). */
    public Written writeAudited(ClientDatabase db, Validated change, WriteMode mode, ProfileSource source) {
        Written written = writeValidated(db, change, mode, source);
        // one profile written by hand or by a call is audited; an import's rows are its job's
        access.changed(Resource.PROFILES, Action.WRITE, written.result().profile().id(), null, written.result().profile());
        return written;
    }

    /** Work writing many profiles in one transaction of the store, each write in a savepoint of its own (a group's writer). */
    public <T> T together(java.util.function.Supplier<T> work) {
        return store.inTransaction(work);
    }

    /** A write whose events the caller appends (imports append them per batch). */
    public record Written(WriteResult result, List<Event> events) {}

    /**
     * Validates and writes one change as one unit (a savepoint inside a caller's transaction,
     * so a batch can go on past a bad row); the caller appends the returned events.
     */
    public Written writeWithoutEvents(ClientDatabase db, ProfileChange change, WriteMode mode, ProfileSource source) {
        access.require(Resource.PROFILES, Action.WRITE);
        return writeValidated(db, validate(db, change), mode, source);
    }

    /**
     * Checks and converts a change without writing anything, so that callers writing many
     * (imports) can validate on one thread while another writes.
     *
     * @throws InvalidInputException naming every bad field
     */
    public Validated validate(ClientDatabase db, ProfileChange change) {
        return check(db, change);
    }

    /** Writes a change {@link #validate validated} against the same database schema. */
    public Written writeValidated(ClientDatabase db, Validated input, WriteMode mode, ProfileSource source) {
        access.require(Resource.PROFILES, Action.WRITE);
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction(() -> apply(db, input, mode, source));
            } catch (KeyTakenException e) {
                // Another writer claimed a value between our lookup and our write: look again.
                if (attempt == ATTEMPTS) {
                    throw new InvalidInputException(e.key().field(), e.key().value(), e.getMessage());
                }
            }
        }
    }

    /** A change whose values are converted to their stored forms; made by {@link #validate}. */
    public record Validated(String matching, Object matchingValue, Map<String, Object> fields,
            List<Subscription> subscriptions, List<Relation> relations, Profile.Status status, Map<Subscription, String> replacing) {}

    private Validated check(ClientDatabase db, ProfileChange change) {
        List<FieldError> errors = new ArrayList<>();
        DatabaseSchema schema = db.schema();
        Map<String, Object> fields = new LinkedHashMap<>();
        change.fields().forEach((name, raw) -> {
            Optional<FieldDefinition> def = schema.field(name);
            if (def.isEmpty()) {
                errors.add(FieldError.of(name, raw, "is not a field of database '" + db.id() + "'"));
                return;
            }
            try {
                fields.put(name, def.get().convert(raw));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(name, raw, e.getMessage()));
            }
        });
        String matching = change.matching() == null ? defaultMatching(schema) : change.matching();
        Object matchingValue = null;
        if (matching.equals(ProfileKey.MERGED_ID)) {
            matchingValue = change.matchingValue();
        } else {
            Optional<FieldDefinition> def = schema.field(matching);
            if (def.isEmpty() || !def.get().unique()) {
                errors.add(FieldError.of("matching", matching, "must be 'id' or a unique field of the database: "
                        + schema.uniqueFields().stream().map(FieldDefinition::name).toList()));
            } else if (change.matchingValue() != null) {
                try {
                    matchingValue = def.get().convert(change.matchingValue());
                    Object inFields = fields.get(matching);
                    if (inFields != null && !inFields.equals(matchingValue)) {
                        errors.add(FieldError.of("matchingValue", change.matchingValue(),
                                "differs from field '" + matching + "'; to change it, match by another key"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.of("matchingValue", change.matchingValue(), e.getMessage()));
                }
            } else {
                matchingValue = fields.get(matching);
            }
        }
        List<Subscription> subscriptions = new ArrayList<>();
        Map<Subscription, String> replacing = new java.util.IdentityHashMap<>();
        Instant now = clock.instant();
        for (int i = 0; i < change.subscriptions().size(); i++) {
            ProfileChange.SubscriptionInput s = change.subscriptions().get(i);
            String path = "subscriptions[" + i + "]";
            try {
                Channel channel = Channel.fromId(s.channel());
                String address;
                try {
                    address = channel.normalize(s.address());
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.of(path + ".address", s.address(), e.getMessage()));
                    continue;
                }
                Subscription.Status status = s.status() == null ? Subscription.Status.ACTIVE : Subscription.Status.fromId(s.status());
                Subscription sub = new Subscription(channel, address, s.resource(), status, now);
                if (s.replaces() != null) {
                    try {
                        replacing.put(sub, channel.normalize(s.replaces()));
                    } catch (IllegalArgumentException e) {
                        errors.add(FieldError.of(path + ".replaces", s.replaces(), e.getMessage()));
                        continue;
                    }
                }
                subscriptions.add(sub);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(path, s.channel() + "/" + s.status(), e.getMessage()));
            }
        }
        for (int i = 0; i < change.relations().size(); i++) {
            Relation r = change.relations().get(i);
            if (r == null || r.type() == null || r.type().isBlank() || r.profileId() == null) {
                errors.add(FieldError.of("relations[" + i + "]", r, "needs a type and a profileId"));
            } else if (store.find(db.id(), r.profileId()).isEmpty()) {
                errors.add(FieldError.of("relations[" + i + "].profileId", r.profileId(), "no such profile in this database"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Validated(matching, matchingValue, fields, subscriptions, change.relations(), change.status(), replacing);
    }

    private static String defaultMatching(DatabaseSchema schema) {
        return schema.uniqueFields().isEmpty() ? ProfileKey.MERGED_ID : schema.uniqueFields().get(0).name();
    }

    private Written apply(ClientDatabase db, Validated in, WriteMode mode, ProfileSource source) {
        String dbId = db.id();
        Profile target = null;
        if (in.matchingValue() != null) {
            ProfileKey key = new ProfileKey(in.matching(), String.valueOf(in.matchingValue()));
            Optional<String> owner = in.matching().equals(ProfileKey.MERGED_ID)
                    ? store.find(dbId, key.value()).map(Profile::id).or(() -> store.findOwner(dbId, key))
                    : store.findOwner(dbId, key);
            target = owner.flatMap(id -> store.find(dbId, id)).orElse(null);
        } else if (mode != WriteMode.INSERT) {
            throw new InvalidInputException(in.matching(), null, "a value is needed to find the profile");
        }
        if (mode == WriteMode.INSERT && target != null) {
            throw new InvalidInputException(in.matching(), in.matchingValue(), "a profile with this value already exists");
        }
        if (mode == WriteMode.UPDATE && target == null) {
            throw new NotFoundException("profile with " + in.matching(), String.valueOf(in.matchingValue()));
        }
        List<Profile> merged = new ArrayList<>();
        List<ProfileKey> written = new ArrayList<>();
        for (FieldDefinition f : db.schema().uniqueFields()) {
            Object value = in.fields().get(f.name());
            if (value != null && !f.name().equals(in.matching())) {
                written.add(new ProfileKey(f.name(), value.toString()));
            }
        }
        Map<ProfileKey, String> owners = store.findOwners(dbId, written);
        for (ProfileKey key : written) {
            FieldDefinition f = db.schema().field(key.field()).orElseThrow();
            Object value = key.value();
            Optional<String> owner = Optional.ofNullable(owners.get(key));
            if (owner.isEmpty() || (target != null && owner.get().equals(target.id()))
                    || merged.stream().anyMatch(p -> p.id().equals(owner.get()))) {
                continue;
            }
            Profile other = store.find(dbId, owner.get()).orElseThrow();
            if (target == null && mode != WriteMode.INSERT) {
                target = other;
            } else if (mode == WriteMode.INSERT) {
                throw new InvalidInputException(f.name(), value, "is unique and already belongs to profile " + other.id());
            } else {
                merged.add(other);
            }
        }
        Instant now = clock.instant();
        Profile result = compose(db, target, merged, in, now);
        checkRequired(db, result);
        for (Profile m : merged) {
            store.delete(dbId, m.id());
        }
        // The survivor's stored keys follow from its stored fields (schema changes rewrite them);
        // merged profiles' keys went with their deletion and are claimed afresh.
        store.save(result, keysOf(db, result), target == null ? Set.of() : keysOf(db, target));
        List<Event> emitted = new ArrayList<>();
        for (Profile m : merged) {
            emitted.add(new Event(Ids.next(), dbId, result.id(), "profile.merged", null, now,
                    Map.of("mergedId", m.id(), "by", in.matching())));
        }
        emitted.add(new Event(Ids.next(), dbId, result.id(), target == null ? "profile.created" : "profile.updated", null, now,
                target == null ? Map.of("fields", new ArrayList<>(in.fields().keySet()), "source", source.id())
                        : Map.of("fields", new ArrayList<>(in.fields().keySet()))));
        for (Subscription given : in.subscriptions()) {
            String replaced = in.replacing().get(given);
            Subscription.Status before = target == null ? null : target.subscriptions().stream()
                    .filter(t -> t.sameTarget(given) || (replaced != null && t.sameTarget(given.at(replaced)))).findFirst()
                    .map(Subscription::status).orElse(null);
            Subscription s = result.subscriptions().stream().filter(given::sameTarget).findFirst().orElse(given);
            // an address that arrives already unsubscribed (an import of old opt-outs) was never gained nor lost
            if (before != s.status() && (before != null || s.status() == Subscription.Status.ACTIVE || s.status() == Subscription.Status.PENDING)) {
                emitted.add(subscriptionChanged(dbId, result.id(), s, before, source, now));
            }
        }
        return new Written(new WriteResult(result, target == null, merged.stream().map(Profile::id).toList()), emitted);
    }

    /** The event type of a subscription reaching a status: {@code subscription.subscribed}, {@code .unsubscribed}, {@code .suspended}, {@code .bounced}. */
    public static String subscriptionEvent(Subscription.Status status) {
        return "subscription." + (status == Subscription.Status.ACTIVE ? "subscribed" : status.id());
    }

    private static Event subscriptionChanged(String dbId, String profileId, Subscription s, Subscription.Status before, ProfileSource source,
                                             Instant now) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("previous", before == null ? "none" : before.id());
        props.put("source", source.id());
        props.put("resource", s.resource());
        return new Event(Ids.next(), dbId, profileId, subscriptionEvent(s.status()), s.channel().id(), now, props);
    }

    private static Profile compose(ClientDatabase db, Profile target, List<Profile> merged, Validated in, Instant now) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (target == null) {
            for (FieldDefinition f : db.schema().fields()) {
                if (f.defaultValue() != null) {
                    fields.put(f.name(), f.convert(f.defaultValue()));
                }
            }
        } else {
            fields.putAll(target.fields());
        }
        for (Profile m : merged) {
            m.fields().forEach(fields::putIfAbsent);
        }
        in.fields().forEach((name, value) -> {
            if (value == null) {
                fields.remove(name);
            } else {
                fields.put(name, value);
            }
        });
        List<Subscription> subscriptions = new ArrayList<>(target == null ? List.of() : target.subscriptions());
        merged.forEach(m -> m.subscriptions().forEach(s -> upsertSubscription(subscriptions, s, false)));
        in.subscriptions().forEach(s -> {
            String replaced = in.replacing().get(s);
            // the address it replaces (a refreshed token) gives up its place to it, or goes when it is there already
            int old = replaced == null ? -1 : indexOf(subscriptions, s.at(replaced));
            if (old >= 0 && subscriptions.stream().noneMatch(s::sameTarget)) {
                subscriptions.set(old, s);
                return;
            }
            if (old >= 0) {
                subscriptions.remove(old);
            }
            upsertSubscription(subscriptions, s, true);
        });
        Set<Relation> relations = new LinkedHashSet<>(target == null ? List.of() : target.relations());
        merged.forEach(m -> relations.addAll(m.relations()));
        relations.addAll(in.relations());
        List<String> mergedIds = new ArrayList<>(target == null ? List.of() : target.mergedIds());
        for (Profile m : merged) {
            mergedIds.add(m.id());
            mergedIds.addAll(m.mergedIds());
        }
        Profile.Status status = in.status() != null ? in.status() : target == null ? Profile.Status.ACTIVE : target.status();
        return new Profile(target == null ? Ids.next() : target.id(), db.id(), fields, subscriptions,
                new ArrayList<>(relations), status, target == null ? now : target.created(), now, mergedIds);
    }

    private static int indexOf(List<Subscription> subscriptions, Subscription s) {
        for (int i = 0; i < subscriptions.size(); i++) {
            if (subscriptions.get(i).sameTarget(s)) {
                return i;
            }
        }
        return -1;
    }

    private static void upsertSubscription(List<Subscription> subscriptions, Subscription s, boolean replace) {
        for (int i = 0; i < subscriptions.size(); i++) {
            if (subscriptions.get(i).sameTarget(s)) {
                // a request to subscribe that waits for confirmation never takes back an active subscription
                if (replace && !(s.status() == Subscription.Status.PENDING && subscriptions.get(i).status() == Subscription.Status.ACTIVE)) {
                    subscriptions.set(i, s);
                }
                return;
            }
        }
        subscriptions.add(s);
    }

    private static void checkRequired(ClientDatabase db, Profile p) {
        List<FieldError> missing = db.schema().fields().stream()
                .filter(f -> f.required() && p.field(f.name()) == null)
                .map(f -> FieldError.of(f.name(), null, "is required"))
                .toList();
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
    }

    /** The keys a stored profile owns: its unique values and the ids merged into it. */
    public static Set<ProfileKey> keysOf(ClientDatabase db, Profile p) {
        Set<ProfileKey> keys = new LinkedHashSet<>();
        for (FieldDefinition f : db.schema().uniqueFields()) {
            Object v = p.field(f.name());
            if (v != null) {
                keys.add(new ProfileKey(f.name(), v.toString()));
            }
        }
        p.mergedIds().forEach(id -> keys.add(ProfileKey.mergedId(id)));
        return keys;
    }
}
