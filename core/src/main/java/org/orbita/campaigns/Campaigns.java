package org.orbita.campaigns;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Storable;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.jobs.Schedules;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.sending.SendChannel;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.settings.WorkspaceDefaults;

/**
 * Campaigns of a workspace: drafts checked as a whole (every field that is wrong named at
 * once), launched now or scheduled, each launch a run of the {@code campaign} job.
 *
 * <p>Longer than the ~400 lines we aim for: a draft's check (every wrong field named at once) is
 * most of it, and reads best beside the model it checks.
 */
public final class Campaigns {

    /** Where segment definitions live (the rules module): the database a segment belongs to. */
    @FunctionalInterface
    public interface SegmentCatalog {
        Optional<String> databaseOf(String workspaceId, String segmentId);
    }

    private final Documents<Campaign> store;
    private final Documents<Approval> approvals;
    private long approvalThreshold;
    private ToLongFunction<String> segmentSize = s -> 0;

    /** Who approved a campaign as it was at {@code campaignUpdated}; a later change needs a new approval. */
    public record Approval(String campaignId, Instant campaignUpdated, String by, Instant at, long audience) {}

    /**
     * Mass sends to an audience of at least {@code threshold} profiles (0: never) wait for an
     * approval of the campaign as it stands; {@code segmentSize} counts a segment's members.
     */
    public void requireApproval(long threshold, ToLongFunction<String> segmentSize) {
        this.approvalThreshold = threshold;
        this.segmentSize = segmentSize;
    }

    /** The audience as an approval rule wants it: the included segments' sizes added up (overlaps and exclusions not taken off), an upper bound. */
    private long audienceSize(Campaign c) {
        return c.segments().stream().mapToLong(segmentSize).sum();
    }

    /** Approves a draft or scheduled campaign as it stands now. */
    public synchronized Approval approve(String workspaceId, String id, String by) {
        access.require(Resource.CAMPAIGNS, Action.APPROVE);
        Campaign c = get(workspaceId, id);
        if (c.status() != Campaign.Status.DRAFT && c.status() != Campaign.Status.SCHEDULED) {
            throw new InvalidInputException("status", c.status().id(), "only a draft or scheduled campaign is approved");
        }
        check(workspaceId, c);
        return access.recorded(Resource.CAMPAIGNS, Action.APPROVE, null, approvals.put(new Approval(c.id(), c.updated(), by, clock.instant(), audienceSize(c))));
    }

    /** The campaign's last approval, if any (it held for the campaign as it was at {@code campaignUpdated}). */
    public Optional<Approval> approval(String workspaceId, String id) {
        get(workspaceId, id);
        return approvals.get(id);
    }
    private final ClientDatabases databases;
    private final SegmentCatalog segments;
    private final Messages messages;
    private final Jobs jobs;
    private final Clock clock;
    private final Supplier<Set<String>> available;
    private final Schedules schedules;
    private final Access access;

    /**
     * @param schedules where regular campaigns find their next run
     * @param available the channels with a provider here (email always: the MTA nodes)
     */
    /** With a fixed set of channels (tests, benchmarks). */
    public Campaigns(SettingsStore settings, ClientDatabases databases, SegmentCatalog segments, Messages messages, Jobs jobs, Schedules schedules,
                     Clock clock, Set<String> available, Access access) {
        this(settings, databases, segments, messages, jobs, schedules, clock, fixed(available), access);
    }

    private static Supplier<Set<String>> fixed(Set<String> available) {
        Set<String> copy = Set.copyOf(available);
        return () -> copy;
    }

    public Campaigns(SettingsStore settings, ClientDatabases databases, SegmentCatalog segments, Messages messages, Jobs jobs, Schedules schedules,
                     Clock clock, Supplier<Set<String>> available, Access access) {
        this.access = access;
        this.schedules = schedules;
        this.available = available;
        this.store = new Documents<>(settings, "campaigns", Campaign.class, Campaign::id);
        this.approvals = new Documents<>(settings, "campaign-approvals", Approval.class, Approval::campaignId);
        this.databases = databases;
        this.segments = segments;
        this.messages = messages;
        this.jobs = jobs;
        this.clock = clock;
    }

    private volatile WorkspaceDefaults defaults;

    /** Where new campaigns take their quiet hours and time zone from when they name none. */
    public void useDefaults(WorkspaceDefaults defaults) {
        this.defaults = defaults;
    }

    /**
     * A new draft. With workspace defaults, a campaign naming no quiet hours gets the
     * workspace's, and quiet hours or a local-time send naming no time zone get its zone.
     */
    public Campaign create(String workspaceId, Campaign draft) {
        access.require(Resource.CAMPAIGNS, Action.WRITE);
        check(workspaceId, draft);
        Instant now = clock.instant();
        Campaign.Limits limits = draft.limits();
        Campaign.LocalSend local = draft.local();
        WorkspaceDefaults.Defaults d = defaults == null ? null : defaults.get(workspaceId);
        if (d != null) {
            Campaign.QuietHours q = limits == null ? null : limits.quietHours();
            if (q == null && d.quietFrom() != null) {
                q = new Campaign.QuietHours(d.quietFrom(), d.quietTo(), null, d.timeZone());
            } else if (q != null && q.timezone() == null && d.timeZone() != null) {
                q = new Campaign.QuietHours(q.from(), q.to(), q.timezoneField(), d.timeZone());
            }
            if (q != null) {
                limits = limits == null ? new Campaign.Limits(null, q) : new Campaign.Limits(limits.frequency(), q, limits.rate(), limits.warmup());
            }
            if (local != null && local.timezone() == null && d.timeZone() != null) {
                local = new Campaign.LocalSend(local.at(), local.timezoneField(), d.timeZone());
            }
        }
        return access.recorded(Resource.CAMPAIGNS, Action.WRITE, null, put(new Campaign(Ids.next(), workspaceId, draft.name().strip(), draft.type(), databaseKey(workspaceId, draft.database()),
                draft.segments(), draft.excludeSegments(), draft.messageId(), channels(draft), draft.resource(), draft.sendAt(),
                Campaign.Status.DRAFT, null, now, now, limits, draft.abTest(), draft.cron(), draft.trigger(),
                databaseKey(workspaceId, draft.observers()), local, draft.conversion())));
    }

    /** Changes a draft (a scheduled campaign goes back to draft: launch it again). */
    public synchronized Campaign update(String workspaceId, String id, Campaign draft) {
        access.require(Resource.CAMPAIGNS, Action.WRITE);
        Campaign old = get(workspaceId, id);
        if (old.status() != Campaign.Status.DRAFT && old.status() != Campaign.Status.SCHEDULED) {
            throw new InvalidInputException("status", old.status().id(), "only a draft or scheduled campaign can be changed");
        }
        check(workspaceId, draft);
        return access.recorded(Resource.CAMPAIGNS, Action.WRITE, old, put(new Campaign(id, workspaceId, draft.name().strip(), draft.type(), databaseKey(workspaceId, draft.database()),
                draft.segments(), draft.excludeSegments(), draft.messageId(), channels(draft), draft.resource(), draft.sendAt(),
                Campaign.Status.DRAFT, null, old.created(), clock.instant(), draft.limits(), draft.abTest(), draft.cron(), draft.trigger(),
                databaseKey(workspaceId, draft.observers()), draft.local(), draft.conversion())));
    }

    /** The key a database the workspace names (by its id or its key) is stored under; null for none. */
    private String databaseKey(String workspaceId, String database) {
        if (database == null || database.isBlank()) {
            return null;
        }
        return databases.resolve(workspaceId, database.strip()).map(ClientDatabase::id).orElse(database.strip());
    }

    /** The channels campaigns can send in here. */
    public Set<String> channels() {
        return available.get();
    }

    public Optional<Campaign> find(String workspaceId, String id) {
        return store.get(id).filter(c -> c.workspaceId().equals(workspaceId) && access.sees(Resource.CAMPAIGNS, id));
    }

    public Campaign get(String workspaceId, String id) {
        return find(workspaceId, id).orElseThrow(() -> new NotFoundException("campaign", id));
    }

    public List<Campaign> list(String workspaceId) {
        access.require(Resource.CAMPAIGNS, Action.READ);
        return store.list().stream().filter(c -> c.workspaceId().equals(workspaceId) && access.sees(Resource.CAMPAIGNS, c.id()))
                .sorted(Comparator.comparing(Campaign::updated).reversed()).toList();
    }

    /** One send on the calendar: a campaign's run that started, or one to come (scheduled, or the next times of a cron). */
    public record CalendarEntry(String campaignId, String name, Campaign.Kind type, String status, List<String> channels, Instant at, String kind) {}

    /**
     * The send calendar between two moments: runs that started (their jobs' start), one-time
     * campaigns scheduled, and each regular campaign's coming cron times (at most 100 each).
     */
    public List<CalendarEntry> calendar(String workspaceId, Instant from, Instant to) {
        access.require(Resource.CAMPAIGNS, Action.READ);
        if (!to.isAfter(from) || Duration.between(from, to).toDays() > 366) {
            throw new InvalidInputException("to", to, "after from, and at most a year after it");
        }
        List<CalendarEntry> out = new ArrayList<>();
        for (Campaign c : list(workspaceId)) {
            BiConsumer<Instant, String> add = (at, kind) -> {
                if (at != null && !at.isBefore(from) && at.isBefore(to)) {
                    out.add(new CalendarEntry(c.id(), c.name(), c.type(), c.status().id(), c.channels(), at, kind));
                }
            };
            if (c.runId() != null) {
                jobs.find(c.runId()).ifPresent(j -> add.accept(j.started() != null ? j.started() : j.created(), "run"));
            }
            // a regular campaign mid-run (sending) still has its coming times
            boolean recurring = c.status() == Campaign.Status.SCHEDULED || c.status() == Campaign.Status.SENDING;
            if (recurring && c.type() == Campaign.Kind.REGULAR && c.cron() != null) {
                Instant now = clock.instant();
                Instant at = (from.isAfter(now) ? from : now).minusMillis(1); // times to come, not the past ones
                for (int i = 0; i < 100; i++) {
                    Optional<Instant> next = schedules.next(Rrule.cronOf(c.cron()), at);
                    if (next.isEmpty() || !next.get().isBefore(to)) {
                        break;
                    }
                    at = next.get();
                    add.accept(at, "scheduled");
                }
            } else if (c.status() == Campaign.Status.SCHEDULED && c.sendAt() != null) {
                add.accept(c.sendAt(), "scheduled");
            }
        }
        out.sort(Comparator.comparing(CalendarEntry::at));
        return out;
    }

    private final AtomicLong version = new AtomicLong();

    private Campaign put(Campaign c) {
        Campaign saved = store.put(c);
        version.incrementAndGet();
        return saved;
    }

    /** A number that changes whenever a campaign is saved (for those who keep a list of campaigns). */
    public long version() {
        return version.get();
    }

    /** Campaigns with a conversion goal, of every workspace (what conversion attribution looks at). */
    public List<Campaign> withGoals() {
        return store.list().stream().filter(c -> c.conversion() != null && c.runId() != null).toList();
    }

    public boolean delete(String workspaceId, String id) {
        access.require(Resource.CAMPAIGNS, Action.DELETE);
        Optional<Campaign> c = find(workspaceId, id);
        if (c.isPresent() && c.get().status() == Campaign.Status.SENDING) {
            throw new InvalidInputException("status", "sending", "a campaign that is sending cannot be deleted; cancel it first");
        }
        boolean deleted = c.isPresent() && store.delete(id);
        if (deleted) {
            access.changed(Resource.CAMPAIGNS, Action.DELETE, id, c.get(), null);
        }
        return deleted;
    }

    /**
     * Launches a draft: scheduled when its {@code sendAt} is ahead, else a run starts now.
     *
     * @return the campaign as it now stands, and the run's job when one started
     */
    public synchronized Launch launch(String workspaceId, String id) {
        access.require(Resource.CAMPAIGNS, Action.LAUNCH);
        Campaign before = get(workspaceId, id);
        Launch launched = launch(workspaceId, before);
        access.changed(Resource.CAMPAIGNS, Action.LAUNCH, id, before, launched.campaign());
        return launched;
    }

    private Launch launch(String workspaceId, Campaign c) {
        String id = c.id();
        Instant now = clock.instant();
        if (c.status() == Campaign.Status.FAILED && c.runId() != null) {
            // the run that failed (broker down, say) goes on from where it stopped, with its ledger
            return new Launch(put(c.with(Campaign.Status.SENDING, c.runId(), now)), jobs.get(c.runId()));
        }
        if (c.status() != Campaign.Status.DRAFT && c.status() != Campaign.Status.SCHEDULED) {
            throw new InvalidInputException("status", c.status().id(), "only a draft, scheduled or failed campaign can be launched");
        }
        check(workspaceId, c);
        if (approvalThreshold > 0 && c.type() != Campaign.Kind.TRIGGER
                && approvals.get(id).filter(a -> a.campaignUpdated().equals(c.updated())).isEmpty()) {
            long size = audienceSize(c);
            if (size >= approvalThreshold) {
                throw new InvalidInputException("approval", size + " profiles", "an audience of " + approvalThreshold
                        + " or more needs an approval of the campaign as it stands (POST /api/v1/campaigns/" + id + "/approve, scope campaigns:approve)");
            }
        }
        if (c.type() == Campaign.Kind.TRIGGER) {
            // live: each trigger sends to its profile until the campaign is cancelled
            return new Launch(put(c.with(Campaign.Status.SCHEDULED, null, now)), null);
        }
        if (c.type() == Campaign.Kind.REGULAR) {
            Instant next = schedules.next(Rrule.cronOf(c.cron()), now).orElseThrow(() -> new InvalidInputException("cron", c.cron(), "never fires"));
            return new Launch(put(c.nextAt(next, Campaign.Status.SCHEDULED, now)), null);
        }
        if (c.local() != null && c.local().earliest().isAfter(now)) {
            // in each profile's zone: the run starts when the first zone reaches the time
            return new Launch(put(c.nextAt(c.local().earliest(), Campaign.Status.SCHEDULED, now)), null);
        }
        if (c.sendAt() != null && c.sendAt().isAfter(now)) {
            return new Launch(put(c.with(Campaign.Status.SCHEDULED, null, now)), null);
        }
        return start(c, now);
    }

    private Launch start(Campaign c, Instant now) {
        Job job = jobs.create(c.workspaceId(), CampaignRun.KIND, Map.of("campaignId", c.id()));
        return new Launch(put(c.with(Campaign.Status.SENDING, job.id(), now)), job);
    }

    /** A launch: the campaign, and the job of its run when it started now. */
    public record Launch(Campaign campaign, Job job) {}

    /** Scheduled campaigns whose time has come, started (the scheduler calls this every few seconds). */
    public synchronized List<Launch> startDue() {
        Instant now = clock.instant();
        List<Launch> out = new ArrayList<>();
        for (Campaign c : store.list()) {
            if (c.status() == Campaign.Status.SCHEDULED && c.type() != Campaign.Kind.TRIGGER && (c.sendAt() == null || !c.sendAt().isAfter(now))) {
                out.add(start(c, now));
            }
        }
        return out;
    }

    /** Stops a scheduled campaign (back to draft) or a sending one (its run stops after the current batch). */
    public synchronized Campaign cancel(String workspaceId, String id) {
        access.require(Resource.CAMPAIGNS, Action.LAUNCH);
        Campaign c = get(workspaceId, id);
        return switch (c.status()) {
            case SCHEDULED -> access.recorded(Resource.CAMPAIGNS, Action.LAUNCH, c, put(c.with(Campaign.Status.DRAFT, null, clock.instant())));
            case SENDING -> access.recorded(Resource.CAMPAIGNS, Action.LAUNCH, c, put(c.with(Campaign.Status.CANCELLED, c.runId(), clock.instant())));
            default -> throw new InvalidInputException("status", c.status().id(), "only a scheduled or sending campaign can be cancelled");
        };
    }

    /** Live trigger campaigns (launched, not cancelled). */
    public List<Campaign> liveTriggers() {
        return store.list().stream().filter(c -> c.type() == Campaign.Kind.TRIGGER && c.status() == Campaign.Status.SCHEDULED).toList();
    }

    /** Records how a run ended (the sender calls this). */
    synchronized void finished(Campaign c, Campaign.Status status) {
        find(c.workspaceId(), c.id()).filter(now -> now.status() == Campaign.Status.SENDING).ifPresent(now -> {
            Instant at = clock.instant();
            Optional<Instant> next = now.type() == Campaign.Kind.REGULAR && status == Campaign.Status.SENT ? schedules.next(Rrule.cronOf(now.cron()), at)
                    : Optional.empty();
            // a regular campaign waits for its next run; its last run stays its runId
            put(next.isPresent() ? now.nextAt(next.get(), Campaign.Status.SCHEDULED, at) : now.with(status, now.runId(), at));
        });
    }

    private void checkMessage(String workspaceId, String messageId, String field, List<String> channels, List<FieldError> errors) {
        if (messageId == null || messageId.isBlank()) {
            errors.add(FieldError.of(field, messageId, "is required"));
            return;
        }
        Optional<Message> m = messages.find(workspaceId, messageId);
        if (m.isEmpty()) {
            errors.add(FieldError.of(field, messageId, "no such message"));
            return;
        }
        for (String ch : channels) {
            String variant = SendChannel.find(ch).map(SendChannel::variant).orElse(null);
            if (variant != null && !m.get().channels().contains(variant)) {
                errors.add(FieldError.of(field, messageId, "the message has no " + variant + " variant"
                        + (ch.equals(variant) ? "" : " (" + ch + " sends it)")));
            }
        }
        if (channels.contains("email") && m.get().email() != null
                && (m.get().email().fromAddress() == null || m.get().email().fromAddress().isBlank())) {
            errors.add(FieldError.of(field, messageId, "the message's email variant has no from address"));
        }
    }

    private static List<String> channels(Campaign c) {
        return c.channels().isEmpty() ? List.of("email") : List.copyOf(new LinkedHashSet<>(c.channels()));
    }

    private void check(String workspaceId, Campaign c) {
        List<FieldError> errors = new ArrayList<>();
        if (c.name() == null || c.name().isBlank()) {
            errors.add(FieldError.of("name", c.name(), "is required"));
        }
        if (c.type() == Campaign.Kind.TRIGGER) {
            Campaign.Trigger t = c.trigger();
            if (t == null || (t.event() == null) == (t.segment() == null)) {
                errors.add(FieldError.of("trigger", null, "a trigger campaign names one event type or one segment: {\"event\": \"purchase\"} or {\"segment\": id}"));
            } else if (t.event() != null && (t.event().startsWith("message.") || t.event().startsWith("segment.") || t.event().isBlank())) {
                errors.add(FieldError.of("trigger.event", t.event(), "an event of the client's (purchase, cart.abandoned…), not message.* or segment.*"
                        + " (use trigger.segment for entering a segment)"));
            } else if (t.segment() != null && segments.databaseOf(workspaceId, t.segment()).isEmpty()) {
                errors.add(FieldError.of("trigger.segment", t.segment(), "no such segment"));
            }
        }
        String rruleProblem = null;
        if (c.cron() != null && Rrule.is(c.cron())) {
            try {
                Rrule.cronOf(c.cron());
            } catch (IllegalArgumentException e) {
                rruleProblem = e.getMessage();
                errors.add(FieldError.of("cron", c.cron(), "a recurrence rule: " + rruleProblem));
            }
        }
        if (rruleProblem == null && c.type() == Campaign.Kind.REGULAR && (c.cron() == null || schedules.next(Rrule.cronOf(c.cron()), clock.instant()).isEmpty())) {
            errors.add(FieldError.of("cron", c.cron(), "a regular campaign needs a six-field cron (second minute hour day month weekday), e.g. 0 0 9 * * MON, or a recurrence rule, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"));
        }
        ClientDatabase db = null;
        if (c.database() == null || c.database().isBlank()) {
            errors.add(FieldError.of("database", c.database(), "is required"));
        } else {
            db = databases.resolve(workspaceId, c.database()).orElse(null);
            if (db == null) {
                errors.add(FieldError.of("database", c.database(), "no such database in this workspace"));
            }
        }
        if (c.segments().isEmpty() && c.type() != Campaign.Kind.TRIGGER) {
            errors.add(FieldError.of("segments", null, "give at least one segment to send to"));
        }
        if (c.sendAt() != null && !Storable.isStorable(c.sendAt())) {
            errors.add(FieldError.of("sendAt", c.sendAt(), Storable.TIME_RULE));
        }
        if (c.conversion() != null) {
            Campaign.Conversion v = c.conversion();
            if (v.event() == null || !v.event().matches("[A-Za-z0-9_.:-]{1,100}") || v.event().startsWith("message.")) {
                errors.add(FieldError.of("conversion.event", v.event(), "an event type such as purchase (not a message.* event)"));
            }
            if (v.days() < 1 || v.days() > 90) {
                errors.add(FieldError.of("conversion.days", v.days(), "from 1 to 90 days after the send"));
            }
            if (v.valueProperty() != null && !v.valueProperty().matches("[A-Za-z0-9_]{1,100}")) {
                errors.add(FieldError.of("conversion.valueProperty", v.valueProperty(), "a property name of the event (letters, digits, _)"));
            }
        }
        if (c.local() != null) {
            if (c.local().at() == null) {
                errors.add(FieldError.of("local.at", null, "the local date and time to send at, e.g. 2026-12-01T10:00"));
            } else if ((c.sendAt() != null && !c.sendAt().equals(c.local().earliest())) || c.type() != Campaign.Kind.ONE_TIME) {
                errors.add(FieldError.of("local", c.local().at(), "a one-time campaign sends at a local time instead of at sendAt"));
            }
            try {
                ZoneId.of(c.local().timezone() == null ? "UTC" : c.local().timezone());
            } catch (DateTimeException e) {
                errors.add(FieldError.of("local.timezone", c.local().timezone(), "an IANA time zone such as Europe/Moscow"));
            }
        }
        if (c.observers() != null && !c.observers().isBlank()) {
            Optional<ClientDatabase> observers = databases.resolve(workspaceId, c.observers().strip());
            if (observers.isEmpty()) {
                errors.add(FieldError.of("observers", c.observers(), "no such database in this workspace"));
            } else if (db != null && observers.get().id().equals(db.id())) {
                errors.add(FieldError.of("observers", c.observers(), "an observer database is not the campaign's own database"));
            } else if (c.type() == Campaign.Kind.TRIGGER) {
                errors.add(FieldError.of("observers", c.observers(), "a trigger campaign sends one message at a time; observers are for one-time and regular runs"));
            }
        }
        for (String list : List.of("segments", "excludeSegments")) {
            List<String> ids = list.equals("segments") ? c.segments() : c.excludeSegments();
            for (int i = 0; i < ids.size(); i++) {
                Optional<String> of = segments.databaseOf(workspaceId, ids.get(i));
                if (of.isEmpty()) {
                    errors.add(FieldError.of(list + "[" + i + "]", ids.get(i), "no such segment"));
                } else if (db != null && !of.get().equals(db.id())) {
                    errors.add(FieldError.of(list + "[" + i + "]", ids.get(i), "belongs to database '" + of.get() + "', not '" + db.id() + "'"));
                }
            }
        }
        List<String> channels = channels(c);
        for (int i = 0; i < channels.size(); i++) {
            if (SendChannel.find(channels.get(i)).isEmpty()) {
                errors.add(FieldError.of("channels[" + i + "]", channels.get(i), "must be one of "
                        + new TreeSet<>(Arrays.stream(SendChannel.values()).map(SendChannel::id).toList())));
            } else if (!available.get().contains(channels.get(i))) {
                errors.add(FieldError.of("channels[" + i + "]", channels.get(i), "has no provider configured here (orbita.channels."
                        + channels.get(i) + ".*)"));
            }
        }
        if (c.abTest() != null) {
            Campaign.AbTest ab = c.abTest();
            if (ab.variants().size() < 2 || ab.variants().size() > 5) {
                errors.add(FieldError.of("abTest.variants", ab.variants().size() + " variants", "give 2 to 5 variants"));
            }
            Set<String> names = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < ab.variants().size(); i++) {
                Campaign.Variant v = ab.variants().get(i);
                if (v.name() == null || !v.name().matches("[A-Za-z0-9_-]{1,20}") || !names.add(v.name())) {
                    errors.add(FieldError.of("abTest.variants[" + i + "].name", v.name(), "a unique name of 1 to 20 letters, digits, '-' or '_'"));
                }
                if (v.messageId() != null && !ids.add(v.messageId())) {
                    errors.add(FieldError.of("abTest.variants[" + i + "].messageId", v.messageId(), "each variant is its own message"));
                }
                checkMessage(workspaceId, v.messageId(), "abTest.variants[" + i + "].messageId", channels, errors);
            }
            boolean weighted = ab.variants().stream().anyMatch(v -> v.weight() != null);
            for (int i = 0; i < ab.variants().size(); i++) {
                Campaign.Variant v = ab.variants().get(i);
                if (weighted && (v.weight() == null || v.weight() < 1 || v.weight() > 100)) {
                    errors.add(FieldError.of("abTest.variants[" + i + "].weight", v.weight(), "from 1 to 100 on every variant when one has a weight"));
                }
                if (v.delayMinutes() != null && (v.delayMinutes() < 0 || v.delayMinutes() > 10_080)) {
                    errors.add(FieldError.of("abTest.variants[" + i + "].delayMinutes", v.delayMinutes(), "from 0 to 10080 (a week) after the run starts"));
                }
            }
            if (ab.testPercent() < 1 || ab.testPercent() > 100) {
                errors.add(FieldError.of("abTest.testPercent", ab.testPercent(), "from 1 to 100 (100: the whole audience is split, no winner)"));
            }
            if (!ab.metric().equals("opens") && !ab.metric().equals("clicks")) {
                errors.add(FieldError.of("abTest.metric", ab.metric(), "opens or clicks"));
            }
            if (ab.testPercent() < 100 && (ab.waitMinutes() < 1 || ab.waitMinutes() > 10_080)) {
                errors.add(FieldError.of("abTest.waitMinutes", ab.waitMinutes(), "from 1 to 10080 (a week)"));
            }
        } else {
            checkMessage(workspaceId, c.messageId(), "messageId", channels, errors);
        }
        if (c.limits() != null) {
            Campaign.Frequency f = c.limits().frequency();
            if (f != null && (f.max() < 1 || f.days() < 1 || f.days() > 365)) {
                errors.add(FieldError.of("limits.frequency", f.max() + " per " + f.days() + " days",
                        "max is at least 1 and days from 1 to 365"));
            }
            Campaign.Rate r = c.limits().rate();
            if (r != null && (r.perMinute() < 0 || r.perHour() < 0 || r.perDay() < 0 || r.perMinute() + r.perHour() + r.perDay() == 0)) {
                errors.add(FieldError.of("limits.rate", r.perMinute() + "/min " + r.perHour() + "/h " + r.perDay() + "/day",
                        "at least one of perMinute, perHour, perDay above 0, none below"));
            }
            Campaign.Warmup w = c.limits().warmup();
            if (w != null && (w.firstDay() < 1 || w.growth() < 1 || w.growth() > 10)) {
                errors.add(FieldError.of("limits.warmup", w.firstDay() + " × " + w.growth(), "firstDay at least 1, growth from 1 to 10"));
            }
            Campaign.QuietHours q = c.limits().quietHours();
            if (q != null) {
                if (q.from() == null || q.to() == null || q.from().equals(q.to())) {
                    errors.add(FieldError.of("limits.quietHours", q.from() + "–" + q.to(), "give from and to, two different times (HH:mm)"));
                }
                try {
                    ZoneId.of(q.timezone() == null ? "UTC" : q.timezone());
                } catch (DateTimeException e) {
                    errors.add(FieldError.of("limits.quietHours.timezone", q.timezone(), "an IANA time zone such as Europe/Moscow"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
