package org.orbita.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.events.Event;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.orbita.webhooks.WebhookStore.Delivery;
import org.orbita.webhooks.WebhookStore.State;

/**
 * Webhooks for any event (Braze's Currents, Customer.io's reporting webhooks): a workspace
 * subscribes a URL to event types of its databases, and every such event that reaches the event
 * bus — profile changes, segment entries and exits, messages and their outcomes, orders, forms —
 * is POSTed there as JSON, signed as the Standard Webhooks specification has it
 * ({@link WebhookSignature}).
 *
 * <p>At least once: the bus hands each batch to {@link #appended} on the appending thread, which
 * keeps a delivery per webhook and event in the outbox ({@link WebhookStore}) before the append
 * returns; {@link #deliverDue} sends what is due, leased so two nodes do not send the same call at
 * once. The delivery's id — the same on every attempt, made from the webhook and the event — is
 * the receiver's idempotency key. A profile's events reach a receiver in order: a delivery waits
 * while an earlier one of the same profile is pending. Failed calls are tried again after
 * {@code retries} (the specification's schedule by default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h), then given up as dead letters, which people replay from the UI or the API. A webhook
 * that has failed {@code disableAfterFailures} times in a row over {@code disableAfter} (or that
 * answers 410 Gone) is disabled: its pending calls become dead letters and the people it names
 * are told.
 */
public final class Webhooks {

    /** What a receiver answered: its status (null when there was no answer), why it failed, and whether trying again is useless. */
    public record Answer(Integer status, String error, boolean permanent) {
        boolean ok() {
            return status != null && status / 100 == 2;
        }
    }

    /** Makes a webhook's HTTP call. */
    @FunctionalInterface
    public interface Sender {
        Answer post(String url, Map<String, String> headers, String body);
    }

    /** How deliveries are tried and kept. */
    public record Policy(List<Duration> retries, int disableAfterFailures, Duration disableAfter, Duration keepDelivered, Duration keepDead,
                         Duration lease, int workers) {

        /** The Standard Webhooks schedule; disabled after 5 days of failing; delivered calls kept a week, dead letters a month. */
        public static Policy defaults() {
            return new Policy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                    Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), 20, Duration.ofDays(5), Duration.ofDays(7),
                    Duration.ofDays(30), Duration.ofMinutes(2), 4);
        }

        public Policy {
            retries = List.copyOf(retries);
            workers = Math.max(1, workers);
        }
    }

    /** What a person gives to make or change a webhook; absent parts keep what they were. */
    public record Input(String name, String url, List<String> events, List<String> databases, String secret, String noticeEmails, Boolean enabled) {}

    /** A webhook as people see it: never its secret; databases by the ids the workspace knows them by. */
    public record View(String id, String name, String url, List<String> events, List<String> databases, String noticeEmails, boolean enabled,
                       String disabled, Instant disabledAt, int failures, Instant failingSince, Map<String, Long> deliveries, Instant created,
                       Instant updated) {}

    /** A webhook just made, or with a new secret: the secret shown this once. */
    public record Made(View webhook, String secret) {}

    public record DeliveryView(String id, long seq, String eventType, String state, int attempts, Instant next, Instant created,
                               Instant lastAttempt, Integer lastStatus, String lastError, Object payload) {}

    /** What a test call got. */
    public record Tested(boolean ok, Integer status, String error, long millis) {}

    static final Pattern EVENT = Pattern.compile("\\*|[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");
    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final int BATCH = 200;

    private final Documents<Webhook> hooks;
    private final WebhookStore store;
    private final ClientDatabases databases;
    private final Sender sender;
    private final Access access;
    private final Clock clock;
    private final Policy policy;
    private final AtomicLong lastSeq = new AtomicLong();
    private volatile List<Webhook> live;
    private volatile Instant loaded = Instant.EPOCH;
    private volatile Consumer<Webhook> onDisabled = w -> { };

    public Webhooks(SettingsStore settings, WebhookStore store, ClientDatabases databases, Sender sender, Access access, Clock clock, Policy policy) {
        this.hooks = new Documents<>(settings, "webhooks", Webhook.class, w -> w.workspaceId() + "/" + w.id());
        this.store = store;
        this.databases = databases;
        this.sender = sender;
        this.access = access;
        this.clock = clock;
        this.policy = policy;
    }

    /** Told when a webhook is disabled for failing (the platform mails its notice addresses). */
    public void onDisabled(Consumer<Webhook> told) {
        this.onDisabled = told;
    }

    // ---- what people do

    public List<View> list(String workspaceId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return hooks.list().stream().filter(w -> w.workspaceId().equals(workspaceId)).map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return view(hook(workspaceId, id));
    }

    private Webhook hook(String workspaceId, String id) {
        return hooks.get(workspaceId + "/" + id).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    public Made create(String workspaceId, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        Instant now = clock.instant();
        String secret = in.secret() == null || in.secret().isBlank() ? WebhookSignature.newSecret() : in.secret().strip();
        Webhook w = checked(workspaceId, new Webhook(workspaceId, Ids.next(), null, null, List.of(), List.of(), secret, null,
                in.enabled() == null || in.enabled(), 0, null, null, null, now, now), in, true);
        hooks.put(w);
        changed();
        View v = access.recorded(Resource.INTEGRATIONS, Action.WRITE, null, view(w));
        return new Made(v, secret);
    }

    public View update(String workspaceId, String id, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        Webhook before = hook(workspaceId, id);
        Webhook w = checked(workspaceId, before, in, false);
        if (in.enabled() != null && in.enabled() != before.enabled()) {
            w = in.enabled() ? w.enabled(clock.instant()) : w.disabledFor("disabled by a person", clock.instant());
        }
        hooks.put(w);
        changed();
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, view(before), view(w));
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.DELETE);
        Webhook w = hook(workspaceId, id);
        hooks.delete(workspaceId + "/" + id);
        store.forget(workspaceId, id);
        changed();
        access.changed(Resource.INTEGRATIONS, Action.DELETE, id, view(w), null);
    }

    /** A new secret, shown this once; calls signed from now on use it. */
    public Made rotateSecret(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        hook(workspaceId, id);
        String secret = WebhookSignature.newSecret();
        Webhook w = hooks.update(workspaceId + "/" + id, stored -> stored == null ? null : stored.withSecret(secret, clock.instant()));
        if (w == null) {
            throw new NotFoundException("webhook", id);
        }
        changed();
        access.changed(Resource.INTEGRATIONS, Action.WRITE, id, null, "secret rotated");
        return new Made(view(w), secret);
    }

    /** Sends one {@code webhook.test} call now (not kept, not retried) and says what the receiver answered. */
    public Tested test(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        Webhook w = hook(workspaceId, id);
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhook", w.id());
        data.put("name", w.name());
        String body = Json.write(Map.of("type", "webhook.test", "timestamp", now.toString(), "data", data));
        long started = System.nanoTime();
        Answer a = call(w, "msg_" + UUID.randomUUID(), body);
        return new Tested(a.ok(), a.status(), a.error(), (System.nanoTime() - started) / 1_000_000);
    }

    public List<DeliveryView> deliveries(String workspaceId, String id, String state, Long before, int limit) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        hook(workspaceId, id);
        State s = state(state);
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", limit, "1 to 500");
        }
        return store.list(workspaceId, id, s, before, limit).stream().map(Webhooks::view).toList();
    }

    public DeliveryView delivery(String workspaceId, String id, String deliveryId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        hook(workspaceId, id);
        return store.get(workspaceId, deliveryId).filter(d -> d.webhookId().equals(id)).map(Webhooks::view)
                .orElseThrow(() -> new NotFoundException("delivery", deliveryId));
    }

    /** Dead letters sent again from the first attempt: one ({@code deliveryId}) or all of the webhook's; how many. */
    public int replay(String workspaceId, String id, String deliveryId) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        hook(workspaceId, id);
        if (deliveryId != null) {
            Delivery d = store.get(workspaceId, deliveryId).filter(x -> x.webhookId().equals(id))
                    .orElseThrow(() -> new NotFoundException("delivery", deliveryId));
            if (d.state() != State.DEAD) {
                throw new InvalidInputException("delivery", deliveryId, "only dead letters are replayed; this one is " + name(d.state()));
            }
        }
        int n = store.replay(workspaceId, id, deliveryId, clock.instant());
        access.changed(Resource.INTEGRATIONS, Action.WRITE, id, null, "replayed " + n + " dead letters");
        return n;
    }

    private static State state(String state) {
        try {
            return State.valueOf((state == null ? "pending" : state).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("state", state, "pending, delivered or dead");
        }
    }

    private Webhook checked(String workspaceId, Webhook w, Input in, boolean creating) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name().strip() : w.name();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "1 to 200 characters"));
        }
        String url = in.url() != null ? in.url().strip() : w.url();
        if (url == null || url.isEmpty()) {
            errors.add(FieldError.of("url", url, "the receiver's http or https URL is required"));
        } else {
            try {
                URI u = new URI(url);
                if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null || u.getUserInfo() != null
                        || url.length() > 2000) {
                    errors.add(FieldError.of("url", url, "an http or https URL with a host and no user name, at most 2,000 characters"));
                }
            } catch (java.net.URISyntaxException e) {
                errors.add(FieldError.of("url", url, "an http or https URL"));
            }
        }
        List<String> events = in.events() != null ? in.events().stream().map(e -> e == null ? "" : e.strip()).toList() : w.events();
        if (events.isEmpty() || events.size() > 100) {
            errors.add(FieldError.of("events", events, "1 to 100 event types: a type (segment.entered), a family (profile.*) or * for all"));
        }
        for (String e : events) {
            if (!EVENT.matcher(e).matches() || e.length() > 100) {
                errors.add(FieldError.of("events", e, "an event type (segment.entered), a family (profile.*) or * for all"));
            }
        }
        List<String> keys = w.databases();
        if (in.databases() != null) {
            keys = new ArrayList<>();
            for (String d : in.databases()) {
                Optional<ClientDatabase> db = databases.resolve(workspaceId, d);
                if (db.isEmpty()) {
                    errors.add(FieldError.of("databases", d, "a database of this workspace"));
                } else if (!keys.contains(db.get().id())) {
                    keys.add(db.get().id());
                }
            }
        }
        if (creating && in.secret() != null && !in.secret().isBlank() && !WebhookSignature.valid(in.secret().strip())) {
            errors.add(FieldError.of("secret", "(hidden)", "whsec_ and 16 to 64 bytes in Base64, or nothing to have one made"));
        } else if (!creating && in.secret() != null) {
            errors.add(FieldError.of("secret", "(hidden)", "a secret is changed by rotating it (POST …/rotate-secret), not by an update"));
        }
        String notice = in.noticeEmails() != null ? in.noticeEmails().strip() : w.noticeEmails();
        if (notice != null && !notice.isEmpty()) {
            for (String e : notice.split("[,;\\s]+")) {
                if (!e.isEmpty() && !EMAIL.matcher(e).matches()) {
                    errors.add(FieldError.of("noticeEmails", e, "email addresses, separated by commas"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Webhook(workspaceId, w.id(), name, url, events, keys, w.secret(), notice == null || notice.isEmpty() ? null : notice,
                w.enabled(), w.failures(), w.failingSince(), w.disabled(), w.disabledAt(), w.created(), clock.instant());
    }

    private View view(Webhook w) {
        Map<String, Long> counts = new LinkedHashMap<>();
        store.counts(w.workspaceId(), w.id()).forEach((s, n) -> counts.put(name(s), n));
        List<String> dbs = w.databases().stream().map(k -> databases.find(k).map(ClientDatabase::publicId).orElse(k)).toList();
        return new View(w.id(), w.name(), w.url(), w.events(), dbs, w.noticeEmails(), w.enabled(), w.disabled(), w.disabledAt(), w.failures(),
                w.failingSince(), counts, w.created(), w.updated());
    }

    private static DeliveryView view(Delivery d) {
        return new DeliveryView(d.id(), d.seq(), d.eventType(), name(d.state()), d.attempts(), d.state() == State.PENDING ? d.next() : null,
                d.created(), d.lastAttempt(), d.lastStatus(), d.lastError(), Json.read(d.payload(), Object.class));
    }

    private static String name(State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    // ---- the outbox: what the event bus hands over

    private void changed() {
        loaded = Instant.EPOCH;
    }

    /** The webhooks that send, read again after a change here and every few seconds (another node's changes). */
    private List<Webhook> live() {
        Instant now = clock.instant();
        List<Webhook> l = live;
        if (l == null || loaded.plus(REFRESH).isBefore(now)) {
            l = hooks.list().stream().filter(Webhook::enabled).toList();
            live = l;
            loaded = now;
        }
        return l;
    }

    /**
     * Keeps a delivery for every webhook that wants each event (the event bus calls this on the
     * appending thread, after the events are stored and before the append returns).
     */
    public void appended(List<Event> events) {
        List<Webhook> l = live();
        if (l.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Delivery> out = new ArrayList<>();
        for (Event e : events) {
            if (e.databaseId() == null || e.ofVisitor()) {
                continue;
            }
            Optional<ClientDatabase> db = databases.find(e.databaseId());
            if (db.isEmpty()) {
                continue;
            }
            String body = null;
            for (Webhook w : l) {
                if (w.workspaceId().equals(db.get().workspaceId()) && w.wants(e.type(), e.databaseId())) {
                    body = body == null ? payload(e, db.get()) : body;
                    String key = e.profileId() == null ? "event/" + e.id() : e.databaseId() + "/" + e.profileId();
                    String id = "msg_" + (e.id() == null ? UUID.randomUUID()
                            : UUID.nameUUIDFromBytes((w.id() + "/" + e.id()).getBytes(StandardCharsets.UTF_8)));
                    out.add(new Delivery(id, w.workspaceId(), w.id(), key, seq(now), e.type(), body, State.PENDING, 0, now, now, null, null, null));
                }
            }
        }
        store.add(out);
    }

    /** Ordered within this process, and after every earlier start (microseconds of the clock, or one more than the last). */
    private long seq(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return lastSeq.updateAndGet(prev -> Math.max(prev + 1, micros));
    }

    /** The body of an event's call: the specification's {@code type}, {@code timestamp} and {@code data}. */
    static String payload(Event e, ClientDatabase db) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", e.id());
        data.put("database", db.publicId());
        data.put("profileId", e.profileId());
        data.put("channel", e.channel());
        data.put("properties", e.properties());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type());
        body.put("timestamp", (e.time() == null ? Instant.EPOCH : e.time()).toString());
        body.put("data", data);
        return Json.write(body);
    }

    // ---- sending

    /**
     * Sends what is due (up to a batch, on {@code workers} threads): the batch leased in one
     * statement, the calls made, their outcomes kept in one transaction; how many calls were made.
     * A call's failure is its delivery's, never this method's.
     */
    public int deliverDue(ExecutorService workers) throws InterruptedException {
        Instant now = clock.instant();
        Map<String, Optional<Webhook>> read = new java.util.HashMap<>();
        Map<String, Delivery> wanted = new LinkedHashMap<>();
        for (Delivery d : store.due(now, BATCH)) {
            Optional<Webhook> w = read.computeIfAbsent(d.workspaceId() + "/" + d.webhookId(), hooks::get);
            if (w.isEmpty()) {
                store.forget(d.workspaceId(), d.webhookId());
            } else if (!w.get().enabled()) {
                store.killPending(d.workspaceId(), d.webhookId(), now, "the webhook is disabled");
            } else {
                wanted.put(d.id(), d);
            }
        }
        java.util.Set<String> leased = store.lease(wanted.keySet(), now, now.plus(policy.lease()));
        List<Callable<Outcome>> calls = new ArrayList<>();
        for (Delivery d : wanted.values()) {
            if (leased.contains(d.id())) {
                Webhook w = read.get(d.workspaceId() + "/" + d.webhookId()).orElseThrow();
                calls.add(() -> attempt(w, d));
            }
        }
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        for (Future<Outcome> f : workers.invokeAll(calls)) {
            try {
                outcomes.add(f.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a webhook call could not be made", e.getCause());
            }
        }
        store.record(outcomes.stream().map(Outcome::kept).toList());
        Map<String, List<Outcome>> byHook = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            byHook.computeIfAbsent(key(o.webhook()), k -> new ArrayList<>()).add(o);
        }
        byHook.values().forEach(this::health);
        return calls.size();
    }

    private Answer call(Webhook w, String id, String body) {
        long ts = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(ts));
        headers.put("webhook-signature", WebhookSignature.sign(w.secret(), id, ts, body));
        return sender.post(w.url(), headers, body);
    }

    /** One call's outcome, and the webhook it was made for. */
    private record Outcome(Webhook webhook, WebhookStore.Outcome kept, Answer answer) {}

    private Outcome attempt(Webhook w, Delivery d) {
        Answer a = call(w, d.id(), d.payload());
        Instant at = clock.instant();
        int attempts = d.attempts() + 1;
        WebhookStore.Outcome kept;
        if (a.ok()) {
            kept = new WebhookStore.Outcome(d.id(), State.DELIVERED, attempts, null, at, a.status(), null);
        } else if (a.permanent() || gone(a) || attempts > policy.retries().size()) {
            kept = new WebhookStore.Outcome(d.id(), State.DEAD, attempts, null, at, a.status(), a.error());
        } else {
            kept = new WebhookStore.Outcome(d.id(), State.PENDING, attempts, at.plus(policy.retries().get(attempts - 1)), at, a.status(), a.error());
        }
        return new Outcome(w, kept, a);
    }

    private static boolean gone(Answer a) {
        return a.status() != null && a.status() == 410;
    }

    /**
     * A round's calls of one webhook, in the order made: a success clears its run of failures,
     * failures lengthen it; past the limit (or at a 410) the webhook is turned off.
     */
    private void health(List<Outcome> round) {
        Webhook w = round.get(0).webhook();
        if (w.failures() == 0 && round.stream().allMatch(o -> o.answer().ok())) {
            return; // the usual round: nothing to keep
        }
        Instant at = clock.instant();
        Webhook after = hooks.update(key(w), stored -> {
            Webhook h = stored;
            for (Outcome o : round) {
                if (h == null) {
                    return null;
                }
                h = o.answer().ok() ? (h.failures() == 0 ? h : h.succeeded(at)) : h.failed(at);
            }
            return h;
        });
        changed();
        if (after == null || !after.enabled()) {
            return;
        }
        Outcome last = round.get(round.size() - 1);
        String why = null;
        if (round.stream().anyMatch(o -> gone(o.answer()))) {
            why = "the receiver answered 410 Gone";
        } else if (after.failures() >= policy.disableAfterFailures() && !after.failingSince().plus(policy.disableAfter()).isAfter(at)) {
            why = after.failures() + " calls failed in a row since " + after.failingSince() + " (last: " + last.answer().error() + ")";
        }
        if (why != null) {
            String reason = why;
            Webhook off = hooks.update(key(w), stored -> stored == null ? null : stored.disabledFor(reason, at));
            if (off == null) {
                return; // deleted meanwhile
            }
            store.killPending(w.workspaceId(), w.id(), at, "the webhook was disabled: " + reason);
            onDisabled.accept(off);
        }
    }

    private static String key(Webhook w) {
        return w.workspaceId() + "/" + w.id();
    }

    /** Forgets delivered calls and dead letters past their keeping; how many. */
    public int purge() {
        Instant now = clock.instant();
        return store.purge(now.minus(policy.keepDelivered()), now.minus(policy.keepDead()));
    }
}
