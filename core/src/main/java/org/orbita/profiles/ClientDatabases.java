package org.orbita.profiles;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;

/** The client databases of each workspace and their schemas. */
public final class ClientDatabases {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_REPORTED = 20;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final CachedDocuments<ClientDatabase> databases;
    private final ProfileStore profiles;
    private final Clock clock;
    private final Access access;

    public ClientDatabases(SettingsStore settings, ProfileStore profiles, Clock clock, Access access) {
        this.access = access;
        this.databases = new CachedDocuments<>(settings, "databases", ClientDatabase.class, ClientDatabase::id,
                Duration.ofSeconds(2), clock);
        this.profiles = profiles;
        this.clock = clock;
    }

    /** Something built on a database's fields (segments, say) that a schema change must not break. */
    public interface SchemaUse {
        /** What the proposed schema would break, named by field; empty when nothing. */
        List<FieldError> problems(ClientDatabase db, DatabaseSchema proposed);
    }

    private final List<SchemaUse> uses = new CopyOnWriteArrayList<>();

    /** Registers a use that every schema change is checked against first. */
    public void addSchemaUse(SchemaUse use) {
        uses.add(use);
    }

    private final List<Consumer<String>> onDelete = new CopyOnWriteArrayList<>();

    /** Registers what else forgets a database's data when it is deleted (memberships, recent behaviour), by its id. */
    public void onDelete(Consumer<String> forget) {
        onDelete.add(forget);
    }

    /**
     * Creates a database with the id its workspace will know it by. Ids are per workspace: another
     * workspace's database of the same id is neither refused nor revealed — this one is then
     * stored under a key of its own (the id and a random suffix).
     */
    public synchronized ClientDatabase create(String workspaceId, String id, String name, DatabaseSchema schema) {
        access.require(Resource.DATABASES, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(FieldError.of("id", id, "must be 1-63 characters of a-z, 0-9 and -, starting with a letter or digit"));
        } else if (resolve(workspaceId, id).isPresent()) {
            errors.add(FieldError.of("id", id, "a database with this id already exists"));
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "is required, at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        DatabaseSchema effective = schema == null ? DatabaseSchema.starter() : schema;
        effective.validate();
        Instant now = clock.instant();
        for (String key = id; ; key = id + "-" + suffix()) {
            ClientDatabase db = new ClientDatabase(key, workspaceId, name.strip(), effective, now, now, id);
            // claimed atomically: two workspaces creating one id at once get two keys, never one database
            boolean[] claimed = {false};
            databases.update(key, existing -> {
                claimed[0] = existing == null; // the last run decides (a store may run the change again after a conflict)
                return existing == null ? db : existing;
            });
            if (claimed[0]) {
                return access.recorded(Resource.DATABASES, Action.WRITE, null, db);
            }
        }
    }

    private static String suffix() {
        StringBuilder s = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            s.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
        }
        return s.toString();
    }

    /** By the key it is stored under (what other objects refer to it by). */
    public Optional<ClientDatabase> find(String id) {
        return databases.get(id);
    }

    /**
     * A workspace's database by the id the workspace knows it by, or by its storage key (what a
     * segment or a journey refers to it by); another workspace's is not found.
     */
    public Optional<ClientDatabase> resolve(String workspaceId, String id) {
        if (id == null || workspaceId == null) {
            return Optional.empty();
        }
        Optional<ClientDatabase> byKey = databases.get(id).filter(d -> d.workspaceId().equals(workspaceId) && access.sees(Resource.DATABASES, d.id()));
        if (byKey.isPresent() && byKey.get().publicId().equals(id)) {
            return byKey; // the usual case, from the cache: stored under the id its workspace knows it by
        }
        Optional<ClientDatabase> byPublicId = list(workspaceId).stream().filter(d -> d.publicId().equals(id)).findFirst();
        return byPublicId.isPresent() ? byPublicId : byKey;
    }

    public ClientDatabase get(String id) {
        return databases.get(id).orElseThrow(() -> new NotFoundException("database", id));
    }

    public List<ClientDatabase> list(String workspaceId) {
        access.require(Resource.DATABASES, Action.READ);
        return databases.list().stream().filter(d -> d.workspaceId().equals(workspaceId) && access.sees(Resource.DATABASES, d.id())).toList();
    }

    /** Every database of every workspace. */
    public List<ClientDatabase> listAll() {
        return databases.list();
    }

    public ClientDatabase rename(String id, String name) {
        access.require(Resource.DATABASES, Action.WRITE);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("name", name, "is required, at most 200 characters");
        }
        ClientDatabase old = get(id);
        return access.recorded(Resource.DATABASES, Action.WRITE, old, databases.put(old.withName(name.strip(), clock.instant())));
    }

    /**
     * Replaces the schema after checking it against every stored profile: values must
     * convert to changed types, required fields must be present, new unique fields must
     * not repeat. Profiles are then rewritten with converted values and new keys.
     */
    public ClientDatabase changeSchema(String id, DatabaseSchema schema) {
        access.require(Resource.DATABASES, Action.WRITE);
        ClientDatabase db = get(id);
        schema.validate();
        ClientDatabase changed = db.withSchema(schema, clock.instant());
        List<FieldError> errors = new ArrayList<>();
        for (SchemaUse use : uses) {
            errors.addAll(use.problems(db, schema));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<FieldDefinition> newUnique = schema.uniqueFields().stream()
                .filter(f -> db.schema().field(f.name()).map(old -> !old.unique()).orElse(true))
                .toList();
        List<Set<String>> seen = newUnique.stream().map(f -> (Set<String>) new HashSet<String>()).toList();
        profiles.forEach(id, p -> {
            if (errors.size() >= MAX_REPORTED) {
                return;
            }
            for (FieldDefinition f : schema.fields()) {
                Object value = p.field(f.name());
                if (value == null) {
                    if (f.required() && f.defaultValue() == null) {
                        errors.add(FieldError.of(f.name(), "profile " + p.id(), "would be required, but this profile has no value"));
                    }
                    continue;
                }
                try {
                    Object converted = f.convert(value);
                    int u = newUnique.indexOf(f);
                    if (u >= 0 && !seen.get(u).add(String.valueOf(converted))) {
                        errors.add(FieldError.of(f.name(), converted, "would be unique, but the value repeats (profile " + p.id() + ")"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(FieldError.of(f.name(), value, "profile " + p.id() + ": " + e.getMessage()));
                }
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        profiles.inTransaction(() -> {
            profiles.forEach(id, p -> {
                var fields = new LinkedHashMap<String, Object>();
                for (FieldDefinition f : schema.fields()) {
                    Object value = p.field(f.name());
                    Object converted = value == null ? (f.defaultValue() == null ? null : f.convert(f.defaultValue())) : f.convert(value);
                    if (converted != null) {
                        fields.put(f.name(), converted);
                    }
                }
                Profile rewritten = new Profile(p.id(), p.databaseId(), fields, p.subscriptions(), p.relations(), p.status(),
                        p.created(), p.updated(), p.mergedIds());
                profiles.save(rewritten, ProfileWriting.keysOf(changed, rewritten));
            });
            return null;
        });
        return access.recorded(Resource.DATABASES, Action.WRITE, db, databases.put(changed));
    }

    public void delete(String id) {
        access.require(Resource.DATABASES, Action.DELETE);
        ClientDatabase old = get(id);
        onDelete.forEach(forget -> forget.accept(id));
        profiles.deleteDatabase(id);
        databases.delete(id);
        access.changed(Resource.DATABASES, Action.DELETE, id, old, null);
    }
}
