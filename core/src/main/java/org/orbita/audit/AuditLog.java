package org.orbita.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Actor;
import org.orbita.access.Permission;
import org.orbita.access.Resource;
import org.orbita.common.Json;
import org.orbita.tabular.TableExport;

/**
 * The audit log (X3): every change by a user or an API key and every refusal, with who, when,
 * from where, which object and what changed (the names of the fields that differ and digests of
 * the object before and after — never its values, settings hold secrets); sign-ins and their
 * failures. Append-only and hash-chained ({@link AuditChain}): {@link #verify()} finds a line
 * changed or removed. Lines outlive their objects and are kept for the retention, then pruned.
 * Reading asks for {@code audit-log:read}, exporting for {@code audit-log:export}; a member sees
 * their own workspace's lines.
 */
public final class AuditLog {

    /** Who acted, and from where: the platform knows it from the request. */
    public record Who(String workspaceId, String actorKind, String actorId, String actorName, String address, String agent) {

        public static Who of(Actor actor, String actorName, String address, String agent) {
            return new Who(actor.workspaceId(), actor.kind().name(), actor.id(), actorName, address, agent);
        }
    }

    /** The chain checked: how many lines, and the first that does not hold (0 when all do) with why. */
    public record Verification(long checked, long brokenAt, String problem) {

        public boolean intact() {
            return brokenAt == 0;
        }
    }

    public static final String DONE = "done";
    public static final String REFUSED = "refused";
    static final int PAGE = 500;

    private final AuditStore store;
    private final Clock clock;
    private final Access access;

    public AuditLog(AuditStore store, Clock clock, Access access) {
        this.store = store;
        this.clock = clock;
        this.access = access;
    }

    /** Appends one line, chained after the last. */
    public AuditEntry record(Who who, String action, String objectKind, String objectId, String outcome, String detail,
                             String before, String after) {
        Instant at = clock.instant();
        AuditEntry line = new AuditEntry(0, at, who.workspaceId(), who.actorKind(), who.actorId(), who.actorName(), who.address(),
                who.agent(), action, objectKind, objectId, outcome, detail, before, after, null, null);
        return store.append(last -> line.chained(last.map(l -> l.seq() + 1).orElse(1L), last.map(AuditEntry::hash).orElse(AuditChain.ORIGIN)));
    }

    /** A change made: the object before and after (null when it did not exist, or no longer does). */
    public AuditEntry changed(Who who, Resource resource, Action action, String objectId, Object before, Object after) {
        String id = objectId != null ? objectId : idOf(after != null ? after : before);
        return record(who, new Permission(resource, action).id(), resource.id(), id, DONE, changedFields(before, after),
                digest(before), digest(after));
    }

    /** An object's id: its {@code id}, else its {@code key}, {@code name} or {@code workspaceId} field. */
    public static String idOf(Object value) {
        Map<String, Object> f = fields(value);
        if (f == null) {
            return null;
        }
        for (String k : List.of("id", "key", "name", "workspaceId")) {
            if (f.get(k) instanceof String s) {
                return s;
            }
        }
        return null;
    }

    /** An action refused for want of a permission. */
    public AuditEntry refused(Who who, Permission needed, String why) {
        return record(who, needed.id(), needed.resource().id(), null, REFUSED, why, null, null);
    }

    /** The SHA-256 of an object's JSON, or null for none. */
    public static String digest(Object value) {
        return value == null ? null : AuditChain.sha256(value instanceof String s ? s : Json.write(value));
    }

    /** The names of the top-level fields that differ between two versions of an object (all of them when one side is missing). */
    public static String changedFields(Object before, Object after) {
        Map<String, Object> b = fields(before);
        Map<String, Object> a = fields(after);
        if (b == null && a == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        if (b != null) {
            names.addAll(b.keySet());
        }
        if (a != null) {
            names.addAll(a.keySet());
        }
        List<String> changed = new ArrayList<>();
        for (String n : names) {
            if (b == null || a == null || !Objects.equals(b.get(n), a.get(n))) {
                changed.add(n);
            }
        }
        return changed.isEmpty() ? "nothing changed" : String.join(", ", changed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Object value) {
        if (value == null) {
            return null;
        }
        Object tree = Json.MAPPER.convertValue(value, Object.class);
        return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("value", tree == null ? "" : tree);
    }

    private AuditQuery scoped(AuditQuery q) {
        Actor actor = access.actor();
        if (actor.kind() == Actor.Kind.SYSTEM) {
            return q;
        }
        return new AuditQuery(actor.workspaceId(), q.from(), q.to(), q.actor(), q.action(), q.objectKind(), q.objectId(), q.outcome(), q.beforeSeq());
    }

    /** One page of lines, newest first; the next page starts before the last line's {@code seq}. */
    public List<AuditEntry> find(AuditQuery q, int limit) {
        access.require(Resource.AUDIT_LOG, Action.READ);
        return store.find(scoped(q), Math.max(1, Math.min(limit, 1000)));
    }

    /** The one asking's own lines of one action (their sign-ins), newest first: no permission needed to read one's own. */
    public List<AuditEntry> own(String action, int limit) {
        Actor actor = access.actor();
        return store.find(new AuditQuery(null, null, null, actor.id(), action, null, null, null, 0), Math.max(1, Math.min(limit, 1000)))
                .stream().filter(e -> actor.id().equals(e.actorId())).toList();
    }

    /** Lines handed over one at a time. */
    @FunctionalInterface
    public interface Lines {
        void forEach(Consumer<AuditEntry> each);
    }

    /**
     * Every matching line, newest first, a page at a time (memory stays bounded whatever the
     * log's size); the permission is checked now, before anything is written.
     */
    public Lines export(AuditQuery q) {
        access.require(Resource.AUDIT_LOG, Action.EXPORT);
        AuditQuery scoped = scoped(q);
        return each -> {
            AuditQuery page = scoped;
            while (true) {
                List<AuditEntry> lines = store.find(page, PAGE);
                lines.forEach(each);
                if (lines.size() < PAGE) {
                    return;
                }
                page = page.before(lines.get(lines.size() - 1).seq());
            }
        };
    }

    /** The columns of an export. */
    public static final List<String> COLUMNS = List.of("seq", "at", "workspace", "actorKind", "actorId", "actor", "address", "agent", "action",
            "objectKind", "objectId", "outcome", "detail", "before", "after", "hash");

    /** Writes exported lines as CSV or XLSX ({@link TableExport}); how many. */
    public static long write(Lines lines, String format, OutputStream out) throws IOException {
        return TableExport.write(format, "audit log", COLUMNS, out,
                rows -> TableExport.unchecked(() -> lines.forEach(e -> TableExport.add(rows, cells(e)))));
    }

    static List<String> cells(AuditEntry e) {
        return Stream.of(e.seq(), e.at(), e.workspaceId(), e.actorKind(), e.actorId(), e.actorName(), e.address(), e.agent(), e.action(),
                e.objectKind(), e.objectId(), e.outcome(), e.detail(), e.before(), e.after(), e.hash())
                .map(v -> v == null ? "" : v.toString()).toList();
    }

    /**
     * Checks the chain from the oldest kept line: each line's hash is what its fields give, and
     * each names the hash of the line before. The oldest kept line's {@code previous} is taken as
     * given (older lines were pruned).
     */
    public Verification verify() {
        access.require(Resource.AUDIT_LOG, Action.READ);
        long checked = 0;
        AuditEntry prev = null;
        long after = 0;
        while (true) {
            List<AuditEntry> lines = store.after(after, PAGE);
            for (AuditEntry e : lines) {
                checked++;
                if (!AuditChain.hash(e).equals(e.hash())) {
                    return new Verification(checked, e.seq(), "line " + e.seq() + " is not what its hash says: it was changed");
                }
                if (prev != null && (e.seq() != prev.seq() + 1 || !e.previous().equals(prev.hash()))) {
                    return new Verification(checked, e.seq(), "the line before " + e.seq() + " is missing or was replaced");
                }
                prev = e;
            }
            if (lines.size() < PAGE) {
                return new Verification(checked, 0, null);
            }
            after = lines.get(lines.size() - 1).seq();
        }
    }

    /** Removes the lines older than the retention (the newest line always stays, so the chain goes on). */
    public long prune(Duration retention) {
        return store.prune(clock.instant().minus(retention));
    }
}
