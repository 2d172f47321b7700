package org.orbita.journeys;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Segment;
import org.orbita.audiences.Segments;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.content.Messages;
import org.orbita.journeys.Journey.Problem;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The workspace's journeys: drafts, published versions (kept, so instances finish on the version
 * they entered) and their state. Publishing checks the journey as BPMN and everything it refers
 * to — the messages, segments, databases and code pools must exist — and names each problem.
 */
public final class Journeys {

    private final CachedDocuments<JourneyDefinition> journeys;
    private final Documents<JourneyDefinition> versions;
    private final ClientDatabases databases;
    private final Messages messages;
    private final Segments segments;
    private final org.orbita.promo.PromoPools promo;
    private final Clock clock;
    private final Access access;

    public Journeys(SettingsStore settings, ClientDatabases databases, Messages messages, Segments segments, org.orbita.promo.PromoPools promo, Clock clock, Access access) {
        this.access = access;
        this.journeys = new CachedDocuments<>(settings, "journeys", JourneyDefinition.class, JourneyDefinition::id, Duration.ofSeconds(2),
                clock);
        this.versions = new Documents<>(settings, "journey-versions", JourneyDefinition.class, d -> d.id() + "@" + d.version());
        this.databases = databases;
        this.messages = messages;
        this.segments = segments;
        this.promo = promo;
        this.clock = clock;
    }

    public JourneyDefinition create(String workspaceId, String name, String databaseId, Journey draft) {
        access.require(Resource.JOURNEYS, Action.WRITE);
        require(name, "name");
        ClientDatabase db = databases.resolve(workspaceId, databaseId)
                .orElseThrow(() -> new InvalidInputException("databaseId", databaseId, "no such database in this workspace"));
        String id = "journey-" + Ids.next();
        return access.recorded(Resource.JOURNEYS, Action.WRITE, null, journeys.put(new JourneyDefinition(id, workspaceId, name.strip(), db.id(),
                JourneyDefinition.Status.DRAFT, 0, draft == null ? new Journey(id, name, List.of(), List.of()) : draft, clock.instant(), clock.instant())));
    }

    public JourneyDefinition update(String workspaceId, String id, String name, Journey draft) {
        access.require(Resource.JOURNEYS, Action.WRITE);
        JourneyDefinition d = get(workspaceId, id);
        return access.recorded(Resource.JOURNEYS, Action.WRITE, d,
                journeys.put(d.withDraft(name == null || name.isBlank() ? d.name() : name.strip(), draft == null ? d.journey() : draft, clock.instant())));
    }

    public Optional<JourneyDefinition> find(String workspaceId, String id) {
        return journeys.get(id).filter(d -> d.workspaceId().equals(workspaceId) && access.sees(Resource.JOURNEYS, id));
    }

    public JourneyDefinition get(String workspaceId, String id) {
        return find(workspaceId, id).orElseThrow(() -> new NotFoundException("journey", id));
    }

    /** Any workspace's journey (the runtime's view). */
    public Optional<JourneyDefinition> find(String id) {
        return journeys.get(id);
    }

    public List<JourneyDefinition> list(String workspaceId) {
        access.require(Resource.JOURNEYS, Action.READ);
        return journeys.list().stream().filter(d -> d.workspaceId().equals(workspaceId) && access.sees(Resource.JOURNEYS, d.id()))
                .sorted(Comparator.comparing(JourneyDefinition::name)).toList();
    }

    public List<JourneyDefinition> live() {
        return journeys.list().stream().filter(d -> d.status() == JourneyDefinition.Status.LIVE).toList();
    }

    /** A published version, as it was published. */
    public JourneyDefinition version(String id, int version) {
        return versions.get(id + "@" + version).orElseThrow(() -> new NotFoundException("journey version", id + "@" + version));
    }

    public List<JourneyDefinition> versions(String workspaceId, String id) {
        access.require(Resource.JOURNEYS, Action.READ);
        JourneyDefinition d = get(workspaceId, id);
        List<JourneyDefinition> out = new ArrayList<>();
        for (int v = d.version(); v >= 1; v--) {
            versions.get(id + "@" + v).ifPresent(out::add);
        }
        return out;
    }

    /** Every problem of the draft: the journey's own (as the builder shows them) and what it refers to that does not exist. */
    public List<Problem> problems(JourneyDefinition d) {
        List<Problem> out = new ArrayList<>(JourneyValidation.check(d.journey()));
        for (Journey.Node n : d.journey().nodes()) {
            String message = n.settings().get("messageId");
            if (n.type().equals("send-message") && message != null && !message.isBlank() && messages.find(d.workspaceId(), message.strip()).isEmpty()) {
                out.add(new Problem(n.id(), "messageId", "no message " + message.strip() + " in this workspace"));
            }
            String segment = n.settings().get("segment");
            if (segment != null && !segment.isBlank()) {
                Optional<Segment> s = segments.find(segment.strip()).filter(x -> x.databaseId().equals(d.databaseId()));
                if (s.isEmpty()) {
                    out.add(new Problem(n.id(), "segment", "no segment " + segment.strip() + " in the journey's database"));
                } else if (n.type().equals("static-segment") && s.get().dynamic()) {
                    out.add(new Problem(n.id(), "segment", "segment " + segment.strip() + " is dynamic; profiles are added only to static segments"));
                }
            }
            String condition = n.settings().get("condition");
            if (n.type().equals("check-condition") && condition != null && !condition.isBlank()) {
                try {
                    segments.check(databases.get(d.databaseId()), Json.read(condition, Condition.class), null);
                } catch (RuntimeException e) {
                    out.add(new Problem(n.id(), "condition", "not a condition of this database: " + rootMessage(e)));
                }
            }
            String database = n.settings().get("database");
            if (n.type().equals("import") && database != null && !database.isBlank()
                    && databases.resolve(d.workspaceId(), database.strip()).isEmpty()) {
                out.add(new Problem(n.id(), "database", "no database " + database.strip() + " in this workspace"));
            }
            String pool = n.settings().get("pool");
            if (n.type().equals("promo-code") && pool != null && !pool.isBlank() && promo.find(d.workspaceId(), pool.strip()).isEmpty()) {
                out.add(new Problem(n.id(), "pool", "no promo code pool " + pool.strip()));
            }
        }
        return out;
    }

    /** Publishes the draft as the next version and makes the journey live; refused with every problem named. */
    public JourneyDefinition publish(String workspaceId, String id) {
        access.require(Resource.JOURNEYS, Action.LAUNCH);
        JourneyDefinition d = get(workspaceId, id);
        List<Problem> problems = problems(d);
        if (!problems.isEmpty()) {
            throw new JourneyBpmn.Invalid(problems);
        }
        JourneyBpmn.toXml(d.journey()); // Zeebe's own model checks
        JourneyDefinition published = d.with(JourneyDefinition.Status.LIVE, d.version() + 1, clock.instant());
        versions.put(published);
        JourneyDefinition live = journeys.put(published);
        lifecycle.published(live);
        return access.recorded(Resource.JOURNEYS, Action.LAUNCH, d, live);
    }

    /** A stopped journey and how many profiles were in it (they leave, counted as stopped). */
    public record Stopped(JourneyDefinition journey, long stoppedInstances) {}

    /** Stops the journey: no one enters, and every profile in it leaves. */
    public Stopped stop(String workspaceId, String id) {
        access.require(Resource.JOURNEYS, Action.LAUNCH);
        JourneyDefinition d = get(workspaceId, id);
        JourneyDefinition stopped = access.recorded(Resource.JOURNEYS, Action.LAUNCH, d,
                journeys.put(d.with(JourneyDefinition.Status.STOPPED, d.version(), clock.instant())));
        return new Stopped(stopped, lifecycle.stopped(stopped));
    }

    /** What runs journeys, told of each one published and stopped (the runtime: it deploys them and ends their instances). */
    public interface Lifecycle {
        void published(JourneyDefinition journey);

        /** Ends the journey's live instances; how many there were. */
        long stopped(JourneyDefinition journey);
    }

    private volatile Lifecycle lifecycle = new Lifecycle() {
        @Override
        public void published(JourneyDefinition journey) {
        }

        @Override
        public long stopped(JourneyDefinition journey) {
            return 0;
        }
    };

    /** Who runs the journeys (one runtime). */
    public void runBy(Lifecycle runtime) {
        this.lifecycle = runtime;
    }

    /** The problems as a bad-input error, each named {@code nodes.<node>.<setting>} (the API's problem+json, the UI's message). */
    public static InvalidInputException invalidInput(JourneyBpmn.Invalid e) {
        return new InvalidInputException(e.problems().stream().map(p -> FieldError.of(
                p.node() == null ? p.field() : "nodes." + p.node() + (p.field() == null ? "" : "." + p.field()), null, p.rule())).toList());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, value, "required");
        }
    }
}
