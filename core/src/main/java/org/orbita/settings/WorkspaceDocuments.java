package org.orbita.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.orbita.common.ConflictException;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;

/**
 * A settings collection of objects each workspace names by its own ids (inbound sources, mobile
 * apps, audience syncs…): kept under {@code workspace/id}, listed per workspace, a missing one
 * {@link NotFoundException} by its kind's name, a new id checked once for all of them.
 */
public final class WorkspaceDocuments<T> {

    /** The ids people give: lower-case letters, digits, {@code -} and {@code _}, up to 64, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Documents<T> documents;
    private final Function<T, String> workspaceOf;
    private final String what;

    /** @param what the kind's name in messages ({@code "mobile app"}) */
    public WorkspaceDocuments(SettingsStore store, String collection, Class<T> type, Function<T, String> workspaceOf, Function<T, String> idOf,
                              String what) {
        this(store, collection, type, workspaceOf, idOf, what, false);
    }

    /** @param keepParsed see {@link Documents#Documents(SettingsStore, String, Class, Function, boolean)} */
    public WorkspaceDocuments(SettingsStore store, String collection, Class<T> type, Function<T, String> workspaceOf, Function<T, String> idOf,
                              String what, boolean keepParsed) {
        this.documents = new Documents<>(store, collection, type, d -> workspaceOf.apply(d) + "/" + idOf.apply(d), keepParsed);
        this.workspaceOf = workspaceOf;
        this.what = what;
    }

    /** A workspace's objects. */
    public List<T> list(String workspaceId) {
        return documents.list().stream().filter(d -> workspaceOf.apply(d).equals(workspaceId)).toList();
    }

    /** Every workspace's (the platform's schedules). */
    public List<T> all() {
        return documents.list();
    }

    public Optional<T> find(String workspaceId, String id) {
        return workspaceId == null || id == null ? Optional.empty() : documents.get(workspaceId + "/" + id);
    }

    /** @throws NotFoundException naming the kind and the id */
    public T get(String workspaceId, String id) {
        return find(workspaceId, id).orElseThrow(() -> new NotFoundException(what, id));
    }

    /**
     * A new object's id as given, stripped.
     *
     * @throws InvalidInputException when it is not an {@link #ID}
     * @throws ConflictException when the workspace has one by that id
     */
    public String newId(String workspaceId, String given) {
        String id = given == null ? "" : given.strip();
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("id", given, "lower-case letters, digits, - and _, up to 64, starting with a letter or digit");
        }
        if (find(workspaceId, id).isPresent()) {
            throw new ConflictException(("aeiouAEIOU".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what + " '" + id + "' exists");
        }
        return id;
    }

    public T put(T value) {
        return documents.put(value);
    }

    /** Changes one atomically ({@link Documents#update}); null when there is none (or the change answered null). */
    public T update(String workspaceId, String id, UnaryOperator<T> change) {
        return documents.update(workspaceId + "/" + id, change);
    }

    public boolean delete(String workspaceId, String id) {
        return documents.delete(workspaceId + "/" + id);
    }
}
