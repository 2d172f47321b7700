package org.orbita.content;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/** The snippet library of each workspace: checked, versioned, and handed to every render. */
public final class Snippets {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final Documents<Snippet> current;
    private final Documents<Snippet> versions;
    private final Templates templates;
    private final Clock clock;
    private final Access access;

    /** Each workspace's library as renders use it, read again after {@link #LIBRARY_TTL_MILLIS} (another node's saves) or at once after a save here. */
    private record Library(Map<String, String> texts, long loadedAt) {}

    static final long LIBRARY_TTL_MILLIS = 2_000;
    private final ConcurrentHashMap<String, Library> libraries = new ConcurrentHashMap<>();

    public Snippets(SettingsStore settings, Templates templates, Clock clock, Access access) {
        this.access = access;
        this.current = new Documents<>(settings, "snippets", Snippet.class, Snippet::key);
        this.versions = new Documents<>(settings, "snippet_versions", Snippet.class, s -> s.key() + "@" + s.version());
        this.templates = templates;
        this.clock = clock;
    }

    /** Saves a snippet (a new version when it exists); its text must parse. */
    public synchronized Snippet save(String workspaceId, String name, String text) {
        access.require(Resource.SNIPPETS, Action.WRITE);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", name, "must be 1-64 characters: a-z or 0-9 first, then a-z 0-9 _ . -");
        }
        templates.validate(text, "text");
        Optional<Snippet> old = find(workspaceId, name);
        long version = old.map(s -> s.version() + 1).orElse(1L);
        Snippet s = new Snippet(workspaceId, name, text, version, clock.instant());
        current.put(s);
        versions.put(s);
        libraries.remove(workspaceId);
        return access.recorded(Resource.SNIPPETS, Action.WRITE, old.orElse(null), s);
    }

    public Optional<Snippet> find(String workspaceId, String name) {
        return current.get(workspaceId + ":" + name);
    }

    public Snippet get(String workspaceId, String name) {
        return find(workspaceId, name).orElseThrow(() -> new NotFoundException("snippet", name));
    }

    public List<Snippet> list(String workspaceId) {
        access.require(Resource.SNIPPETS, Action.READ);
        return current.list().stream().filter(s -> s.workspaceId().equals(workspaceId)).toList();
    }

    public List<Snippet> versions(String workspaceId, String name) {
        access.require(Resource.SNIPPETS, Action.READ);
        Snippet latest = get(workspaceId, name);
        List<Snippet> out = new ArrayList<>();
        for (long v = 1; v <= latest.version(); v++) {
            versions.get(latest.key() + "@" + v).ifPresent(out::add);
        }
        return out;
    }

    public boolean delete(String workspaceId, String name) {
        access.require(Resource.SNIPPETS, Action.DELETE);
        Optional<Snippet> old = find(workspaceId, name);
        boolean deleted = current.delete(workspaceId + ":" + name);
        libraries.remove(workspaceId);
        if (deleted) {
            access.changed(Resource.SNIPPETS, Action.DELETE, workspaceId + ":" + name, old.orElse(null), null);
        }
        return deleted;
    }

    /** The workspace's snippets by name, with the given ones (a draft, say) taking precedence. */
    public Map<String, String> forRender(String workspaceId, Map<String, String> given) {
        long now = clock.millis();
        Library library = libraries.get(workspaceId);
        if (library == null || now - library.loadedAt() > LIBRARY_TTL_MILLIS) {
            Map<String, String> texts = new LinkedHashMap<>();
            list(workspaceId).forEach(s -> texts.put(s.name(), s.text()));
            library = new Library(Collections.unmodifiableMap(texts), now);
            libraries.put(workspaceId, library);
        }
        if (given == null || given.isEmpty()) {
            return library.texts();
        }
        Map<String, String> out = new LinkedHashMap<>(library.texts());
        out.putAll(given);
        return out;
    }
}
