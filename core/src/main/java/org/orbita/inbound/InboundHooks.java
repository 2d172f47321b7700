package org.orbita.inbound;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.GroupCommit;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.common.Signer;
import org.orbita.inbound.InboundLog.Received;
import org.orbita.inbound.InboundLog.State;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;
import org.orbita.profiles.ClientDatabases;
import org.orbita.settings.WorkspaceDocuments;
import org.orbita.settings.SettingsStore;

/**
 * A generic inbound webhook per source: a signed URL any system posts JSON or form fields to,
 * mapped by paths onto a profile upsert (matched by a unique field, with fields and
 * subscriptions) and/or an event — through the same profile writing and event ingest as the API,
 * so segments, trigger campaigns, journeys, webhooks and reports hear of it. Every call is kept in
 * the {@link InboundLog} before it is processed (nothing acknowledged is lost), with what became
 * of it; a rejected call is replayed after the mapping is fixed. A call's own id (a path, or the
 * {@code webhook-id} / {@code Idempotency-Key} header) makes a resent call count once.
 */
public final class InboundHooks {

    public static final int MAX_BODY = 256 * 1024;
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final String PURPOSE = "inbound";

    private static final Pattern TOPIC = Pattern.compile("arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]{1,32}:\\d{12}:[A-Za-z0-9_.-]{1,256}");

    /** What a person gives; absent parts keep what they were; {@code snsTopics}: see {@link InboundSource}. */
    public record Input(String id, String name, String database, String matching, String matchingPath, Map<String, String> fields,
                        Map<String, String> subscriptions, String event, Map<String, String> properties, String idPath, Boolean enabled,
                        List<String> snsTopics) {

        public Input(String id, String name, String database, String matching, String matchingPath, Map<String, String> fields,
                     Map<String, String> subscriptions, String event, Map<String, String> properties, String idPath, Boolean enabled) {
            this(id, name, database, matching, matchingPath, fields, subscriptions, event, properties, idPath, enabled, null);
        }
    }

    /** A source as people see it, with the path its URL ends in (the key is derived: nothing to leak from storage). */
    public record View(String id, String name, String database, String matching, String matchingPath, Map<String, String> fields,
                       Map<String, String> subscriptions, String event, Map<String, String> properties, String idPath, boolean enabled,
                       String path, Instant created, Instant updated, List<String> snsTopics) {}

    /** A received call and what its mapping makes of it (or why it cannot be); {@code kept} when the log holds it already (a replay). */
    private record Call(Received received, Plan plan, InvalidInputException invalid, boolean kept, String repeated) {}

    /** What a call's mapping makes: a profile change, checked, and/or an event. */
    private record Plan(ClientDatabase db, ProfileWriting.Validated change, WriteMode mode, EventInput event) {}

    /** What a call became. */
    public record Outcome(String status, String received, String profileId, String eventId) {}

    /** A call refused before anything was kept: an unknown source, a wrong key, a source switched off. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    public record ReceivedView(String id, Instant at, String contentType, String state, String error, String profileId, String eventId, int replays,
                               String body) {}

    private final WorkspaceDocuments<InboundSource> sources;
    private final InboundLog log;
    private final ClientDatabases databases;
    private final ProfileWriting writing;
    private final EventIngest ingest;
    private final Signer signer;
    private final SnsMessages sns;
    private final Access access;
    private final Clock clock;
    /** Concurrent calls made together: one write to the log, one transaction, one append for many (group commit). */
    private final GroupCommit<Call, Outcome> calls;

    /** @param sns how Amazon SNS's messages are checked (for sources with {@code snsTopics}) */
    public InboundHooks(SettingsStore settings, InboundLog log, ClientDatabases databases, ProfileWriting writing, EventIngest ingest, Signer signer,
                        SnsMessages sns, Access access, Clock clock) {
        this.sns = sns;
        this.sources = new WorkspaceDocuments<>(settings, "inbound-sources", InboundSource.class, InboundSource::workspaceId, InboundSource::id,
                "inbound source", true); // read on every call: parsed once
        this.log = log;
        this.databases = databases;
        this.writing = writing;
        this.ingest = ingest;
        this.signer = signer;
        this.access = access;
        this.clock = clock;
        this.calls = new GroupCommit<>("inbound-calls", "calls", 10_000, 256, this::writeBatch);
    }

    // ---- sources

    public List<View> list(String workspaceId) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return sources.list(workspaceId).stream().map(this::view).toList();
    }

    public View get(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        return view(source(workspaceId, id));
    }

    private InboundSource source(String workspaceId, String id) {
        return sources.get(workspaceId, id);
    }

    public View create(String workspaceId, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        String id = sources.newId(workspaceId, in.id());
        Instant now = clock.instant();
        InboundSource s = checked(workspaceId, new InboundSource(workspaceId, id, null, null, null, null, null, null, null, null, null, true, now, now, null),
                in);
        sources.put(s);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, null, view(s));
    }

    public View update(String workspaceId, String id, Input in) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        InboundSource before = source(workspaceId, id);
        InboundSource s = checked(workspaceId, before, in);
        sources.put(s);
        return access.recorded(Resource.INTEGRATIONS, Action.WRITE, view(before), view(s));
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.INTEGRATIONS, Action.DELETE);
        InboundSource s = source(workspaceId, id);
        sources.delete(workspaceId, id);
        log.forget(workspaceId, id);
        access.changed(Resource.INTEGRATIONS, Action.DELETE, id, view(s), null);
    }

    private InboundSource checked(String workspaceId, InboundSource s, Input in) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() != null ? in.name().strip() : s.name();
        if (name == null || name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", name, "1 to 200 characters"));
        }
        String dbKey = s.database();
        ClientDatabase db = null;
        if (in.database() != null) {
            Optional<ClientDatabase> found = databases.resolve(workspaceId, in.database());
            if (found.isEmpty()) {
                errors.add(FieldError.of("database", in.database(), "a database of this workspace"));
            } else {
                db = found.get();
                dbKey = db.id();
            }
        } else if (dbKey != null) {
            db = databases.find(dbKey).orElse(null);
        }
        if (dbKey == null && in.database() == null) {
            errors.add(FieldError.of("database", null, "the database the calls write to is required"));
        }
        String matching = in.matching() != null ? in.matching().strip() : s.matching();
        if (db != null && (matching == null || !(matching.equals("id") || db.schema().uniqueFields().stream().anyMatch(f -> f.name().equals(
                in.matching() != null ? in.matching().strip() : s.matching()))))) {
            errors.add(FieldError.of("matching", matching, "a unique field of the database, or id"));
        }
        String matchingPath = in.matchingPath() != null ? in.matchingPath().strip() : s.matchingPath();
        if (!JsonPaths.valid(matchingPath)) {
            errors.add(FieldError.of("matchingPath", matchingPath, "where the matching value is in the body: names joined by dots, [n] for an element"));
        }
        Map<String, String> fields = in.fields() != null ? in.fields() : s.fields();
        final ClientDatabase schemaOf = db;
        fields.forEach((field, path) -> {
            if (schemaOf != null && schemaOf.schema().field(field).isEmpty()) {
                errors.add(FieldError.of("fields." + field, field, "a field of the database"));
            }
            if (!JsonPaths.valid(path)) {
                errors.add(FieldError.of("fields." + field, path, "a path: names joined by dots, [n] for an element"));
            }
        });
        Map<String, String> subscriptions = in.subscriptions() != null ? in.subscriptions() : s.subscriptions();
        subscriptions.forEach((channel, path) -> {
            if (!List.of("email", "sms", "push", "telegram", "webpush", "inbox", "webhook").contains(channel)) {
                errors.add(FieldError.of("subscriptions." + channel, channel, "a channel: email, sms, push, telegram, webpush, inbox or webhook"));
            }
            if (!JsonPaths.valid(path)) {
                errors.add(FieldError.of("subscriptions." + channel, path, "a path: names joined by dots, [n] for an element"));
            }
        });
        String event = in.event() != null ? (in.event().isBlank() ? null : in.event().strip()) : s.event();
        if (event != null && !EVENT.matcher(event).matches()) {
            errors.add(FieldError.of("event", event, "an event type: lower-case letters, digits, . _ : -, up to 64"));
        }
        Map<String, String> properties = in.properties() != null ? in.properties() : s.properties();
        properties.forEach((prop, path) -> {
            if (!PROPERTY.matcher(prop).matches() || !JsonPaths.valid(path)) {
                errors.add(FieldError.of("properties." + prop, path, "a property name (letters, digits, _) and a path"));
            }
        });
        if (event == null && !properties.isEmpty()) {
            errors.add(FieldError.of("properties", properties.keySet(), "properties belong to an event: name the event"));
        }
        if (event == null && fields.isEmpty() && subscriptions.isEmpty()) {
            errors.add(FieldError.of("event", null, "map at least a field, a subscription or an event, or the calls do nothing"));
        }
        String idPath = in.idPath() != null ? (in.idPath().isBlank() ? null : in.idPath().strip()) : s.idPath();
        if (idPath != null && !JsonPaths.valid(idPath)) {
            errors.add(FieldError.of("idPath", idPath, "a path: names joined by dots, [n] for an element"));
        }
        List<String> topics = in.snsTopics() != null ? in.snsTopics().stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList()
                : s.snsTopics();
        for (String t : topics) {
            if (!TOPIC.matcher(t).matches()) {
                errors.add(FieldError.of("snsTopics", t, "an SNS topic's ARN: arn:aws:sns:<region>:<account>:<name>"));
            }
        }
        if (!topics.isEmpty() && idPath != null) {
            errors.add(FieldError.of("idPath", idPath, "an SNS message's own id (MessageId) makes a resent one count once; leave idPath out"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new InboundSource(workspaceId, s.id(), name, dbKey, matching, matchingPath, fields, subscriptions, event, properties, idPath,
                in.enabled() != null ? in.enabled() : s.enabled(), s.created(), clock.instant(), topics);
    }

    private View view(InboundSource s) {
        String db = databases.find(s.database()).map(ClientDatabase::publicId).orElse(s.database());
        return new View(s.id(), s.name(), db, s.matching(), s.matchingPath(), s.fields(), s.subscriptions(), s.event(), s.properties(), s.idPath(),
                s.enabled(), path(s), s.created(), s.updated(), s.snsTopics());
    }

    /** The path of a source's URL on the public origin: {@code /t/in/{workspace}/{source}/{key}}. */
    private String path(InboundSource s) {
        return "/t/in/" + s.workspaceId() + "/" + s.id() + "/" + signer.sign(PURPOSE, s.workspaceId() + "/" + s.id());
    }

    // ---- calls

    /**
     * A call to a source's URL: checked, kept, then made into the profile and event its mapping
     * says. A resent call (its id seen before) is answered as before and not made again.
     *
     * @throws Refused when the source, its key or its state refuses it (nothing kept)
     * @throws InvalidInputException naming what the body lacked (kept as rejected, to replay)
     */
    public Outcome receive(String workspaceId, String sourceId, String key, String contentType, String body, String headerId) {
        InboundSource s = sources.find(workspaceId, sourceId).orElse(null);
        if (s == null || key == null || !signer.checks(PURPOSE, workspaceId + "/" + sourceId, key)) {
            throw new Refused("no inbound source has this address");
        }
        if (!s.enabled()) {
            throw new Refused("this inbound source is switched off");
        }
        if (s.sns()) {
            return receiveSns(s, contentType, body);
        }
        Object parsed = parse(contentType, body);
        String callId = s.idPath() != null ? text(JsonPaths.read(parsed, s.idPath())) : headerId;
        if (callId != null && callId.length() > 200) {
            callId = callId.substring(0, 200);
        }
        Received r = new Received(Ids.next(), workspaceId, sourceId, clock.instant(), contentType == null ? null : contentType.split(";")[0].strip(),
                body, callId, State.ACCEPTED, null, null, null, 0);
        return calls.write(call(s, r, parsed, "a call with the id " + callId + " was received before"));
    }

    /**
     * An Amazon SNS message: from one of the source's topics, its signature checked, kept under its
     * MessageId; a subscription confirmed by fetching its SubscribeURL (when that fails the call is
     * answered 503 and SNS sends it again), a notification made into the profile and event its
     * mapping reads from the envelope (the {@code Message} parsed when it is JSON).
     */
    private Outcome receiveSns(InboundSource s, String contentType, String body) {
        SnsMessages.Envelope e;
        try {
            e = SnsMessages.parse(body);
            if (!s.snsTopics().contains(e.topicArn())) {
                throw new Refused("the SNS topic " + e.topicArn() + " is not one this source takes");
            }
            sns.verified(body);
        } catch (SnsMessages.Refused x) {
            throw new Refused(x.getMessage());
        }
        Received r = new Received(Ids.next(), s.workspaceId(), s.id(), clock.instant(), contentType == null ? null : contentType.split(";")[0].strip(),
                body, "sns:" + e.type() + ":" + e.messageId(), State.ACCEPTED, null, null, null, 0);
        String repeated = "the SNS message " + e.messageId() + " was received before";
        if (e.isNotification()) {
            return calls.write(call(s, r, snsTree(e), repeated));
        }
        if (!log.add(r)) {
            log.add(duplicate(r, repeated));
            return new Outcome("duplicate", r.id(), null, null);
        }
        return processSns(s, r, e, false);
    }

    /** A call kept as what it was — a repeat of one kept before — and not made again. */
    private static Received duplicate(Received r, String why) {
        return new Received(r.id(), r.workspaceId(), r.source(), r.at(), r.contentType(), r.body(), null, State.DUPLICATE, why, null, null, 0);
    }

    private Outcome processSns(InboundSource s, Received r, SnsMessages.Envelope e, boolean replay) {
        if (e.isNotification()) {
            return calls.writeHere(kept(s, r, snsTree(e)));
        }
        if (e.isSubscriptionConfirmation()) {
            try {
                sns.confirm(e);
            } catch (SnsMessages.Refused x) {
                log.outcome(r.id(), State.REJECTED, "the subscription could not be confirmed: " + x.getMessage(), null, null, replay);
                throw new org.orbita.common.UnavailableException("the subscription to " + e.topicArn() + " could not be confirmed: " + x.getMessage(),
                        java.time.Duration.ofMinutes(1));
            }
            log.outcome(r.id(), State.ACCEPTED, null, null, null, replay);
            return new Outcome("confirmed", r.id(), null, null);
        }
        log.outcome(r.id(), State.ACCEPTED, null, null, null, replay);
        return new Outcome("unsubscribed", r.id(), null, null);
    }

    /** What an SNS source's paths read: the envelope's fields, its {@code Message} parsed when it is a JSON object. */
    static Map<String, Object> snsTree(SnsMessages.Envelope e) {
        Map<String, Object> tree = new LinkedHashMap<>();
        Object message = e.message();
        try {
            Object parsed = Json.read(e.message(), Object.class);
            if (parsed instanceof Map) {
                message = parsed;
            }
        } catch (RuntimeException notJson) {
            // a text message stays text
        }
        tree.put("Type", e.type());
        tree.put("MessageId", e.messageId());
        tree.put("TopicArn", e.topicArn());
        tree.put("Subject", e.subject());
        tree.put("Message", message);
        tree.put("Timestamp", e.timestamp());
        if (e.attributes() != null) {
            tree.put("MessageAttributes", Json.MAPPER.convertValue(e.attributes(), Map.class));
        }
        return tree;
    }

    /**
     * A call to keep and make: what its mapping makes of its body, worked out on the caller's thread
     * (or why it cannot be, to keep it as rejected); {@code repeated} says why a repeat is one.
     */
    private Call call(InboundSource s, Received r, Object parsed, String repeated) {
        try {
            return new Call(r, plan(s, r, parsed), null, false, repeated);
        } catch (InvalidInputException e) {
            return new Call(r, null, e, false, repeated);
        }
    }

    /** A call already in the log made again (a replay). */
    private Call kept(InboundSource s, Received r, Object parsed) {
        try {
            return new Call(r, plan(s, r, parsed), null, true, null);
        } catch (InvalidInputException e) {
            return new Call(r, null, e, true, null);
        }
    }

    private Plan plan(InboundSource s, Received r, Object parsed) {
        ClientDatabase db = databases.find(s.database()).orElseThrow(() -> new InvalidInputException("database", s.database(),
                "the source's database no longer exists"));
        Object matchingValue = JsonPaths.read(parsed, s.matchingPath());
        if (matchingValue == null || text(matchingValue).isBlank()) {
            throw new InvalidInputException(s.matchingPath(), null, "the body has no " + s.matching() + " here to find the profile by");
        }
        ProfileWriting.Validated change = null;
        if (!s.fields().isEmpty() || !s.subscriptions().isEmpty()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            s.fields().forEach((field, path) -> {
                Object v = JsonPaths.read(parsed, path);
                if (v != null) {
                    fields.put(field, v);
                }
            });
            if (!s.matching().equals("id")) {
                fields.putIfAbsent(s.matching(), matchingValue);
            }
            List<ProfileChange.SubscriptionInput> subs = new ArrayList<>();
            s.subscriptions().forEach((channel, path) -> {
                Object address = JsonPaths.read(parsed, path);
                if (address != null && !text(address).isBlank()) {
                    subs.add(new ProfileChange.SubscriptionInput(channel, address, null, null));
                }
            });
            change = writing.validate(db, new ProfileChange(s.matching(), matchingValue, fields, subs, null, null));
        }
        EventInput event = null;
        if (s.event() != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            s.properties().forEach((name, path) -> {
                Object v = JsonPaths.read(parsed, path);
                if (v != null) {
                    props.put(name, v);
                }
            });
            props.put("source", s.id());
            event = new EventInput("in-" + r.id(), db.id(), s.matching(), text(matchingValue), s.event(), null, null, props);
        }
        return new Plan(db, change, s.matching().equals("id") ? WriteMode.UPDATE : WriteMode.UPSERT, event);
    }

    /**
     * The writer: a batch of calls kept in one write to the log (a repeat of a kept one found there,
     * kept as a duplicate and not made), their profiles written in one transaction (each in a
     * savepoint: one refused fails alone), their profiles' and their own events appended in one
     * go, what each became kept in one more write — and only then is each answered.
     */
    private void writeBatch(List<GroupCommit.Waiting<Call, Outcome>> waiting) {
        int n = waiting.size();
        List<Call> batch = waiting.stream().map(GroupCommit.Waiting::item).toList();
        Outcome[] answers = new Outcome[n];
        RuntimeException[] failed = new RuntimeException[n];
        InvalidInputException[] rejected = new InvalidInputException[n];
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rejected[i] = batch.get(i).invalid();
            if (!batch.get(i).kept()) {
                fresh.add(i);
            }
        }
        if (!fresh.isEmpty()) {
            boolean[] added = log.addAll(fresh.stream().map(i -> batch.get(i).received()).toList());
            List<Received> repeats = new ArrayList<>();
            for (int k = 0; k < added.length; k++) {
                if (!added[k]) {
                    Call c = batch.get(fresh.get(k));
                    answers[fresh.get(k)] = new Outcome("duplicate", c.received().id(), null, null);
                    repeats.add(duplicate(c.received(), c.repeated()));
                }
            }
            if (!repeats.isEmpty()) {
                log.addAll(repeats);
            }
        }
        ProfileWriting.Written[] written = new ProfileWriting.Written[n];
        List<org.orbita.events.Event> profileEvents = new ArrayList<>(); // appended with the calls' events: one write to the log
        if (batch.stream().anyMatch(c -> c.plan() != null && c.plan().change() != null)) {
            writing.together(() -> {
                for (int i = 0; i < n; i++) {
                    Plan p = batch.get(i).plan();
                    if (answers[i] != null || p == null || p.change() == null) {
                        continue;
                    }
                    try {
                        written[i] = writing.writeAudited(p.db(), p.change(), p.mode(), ProfileSource.API);
                        profileEvents.addAll(written[i].events());
                    } catch (InvalidInputException e) {
                        rejected[i] = e;
                    } catch (RuntimeException e) {
                        failed[i] = e;
                    }
                }
                return null;
            });
        }
        List<EventInput> inputs = new ArrayList<>();
        List<Integer> inputOf = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Plan p = batch.get(i).plan();
            if (answers[i] == null && rejected[i] == null && failed[i] == null && p.event() != null) {
                inputs.add(p.event());
                inputOf.add(i);
            }
        }
        String[] eventIds = new String[n];
        if (!inputs.isEmpty() || !profileEvents.isEmpty()) {
            EventIngest.Outcome o = ingest.ingest(inputs, databases::find, profileEvents);
            for (EventIngest.Rejected x : o.rejected()) {
                rejected[inputOf.get(x.index())] = new InvalidInputException(x.errors());
            }
            for (int k = 0; k < inputs.size(); k++) {
                eventIds[inputOf.get(k)] = o.ids().get(k);
            }
        }
        List<InboundLog.Made> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Call c = batch.get(i);
            if (answers[i] != null || failed[i] != null) {
                continue;
            }
            if (rejected[i] != null) {
                made.add(new InboundLog.Made(c.received().id(), State.REJECTED, rejected[i].getMessage(), null, null, c.kept()));
            } else {
                String profileId = written[i] == null ? null : written[i].result().profile().id();
                made.add(new InboundLog.Made(c.received().id(), State.ACCEPTED, null, profileId, eventIds[i], c.kept()));
                answers[i] = new Outcome("accepted", c.received().id(), profileId, eventIds[i]);
            }
        }
        log.outcomes(made);
        for (int i = 0; i < n; i++) {
            if (failed[i] != null) {
                waiting.get(i).done().completeExceptionally(failed[i]);
            } else if (rejected[i] != null && answers[i] == null) {
                waiting.get(i).done().completeExceptionally(rejected[i]);
            } else {
                waiting.get(i).done().complete(answers[i]);
            }
        }
    }

    /** The body as a tree: a JSON object, or form fields (nested names {@code a[b]} and {@code a.b} as objects). */
    static Object parse(String contentType, String body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).replaceAll("\\[([^\\]]*)]", ".$1");
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                put(out, name.split("\\."), value);
            }
            return out;
        }
        try {
            Object tree = Json.read(body, Object.class);
            if (!(tree instanceof Map)) {
                throw new InvalidInputException("body", null, "a JSON object, or form fields");
            }
            return tree;
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException("body", null, "a JSON object, or form fields (application/x-www-form-urlencoded)");
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, String[] names, String value) {
        Map<String, Object> at = into;
        for (int i = 0; i < names.length - 1; i++) {
            Object next = at.get(names[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(names[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(names[names.length - 1], value);
    }

    private static String text(Object v) {
        return v == null ? null : v instanceof String s ? s.strip() : String.valueOf(v);
    }

    // ---- the log

    public List<ReceivedView> received(String workspaceId, String sourceId, String state, String before, int limit) {
        access.require(Resource.INTEGRATIONS, Action.READ);
        source(workspaceId, sourceId);
        State s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = State.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("state", state, "accepted, rejected or duplicate");
            }
        }
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", limit, "1 to 500");
        }
        return log.list(workspaceId, sourceId, s, before, limit).stream().map(InboundHooks::view).toList();
    }

    private static ReceivedView view(Received r) {
        return new ReceivedView(r.id(), r.at(), r.contentType(), r.state().name().toLowerCase(Locale.ROOT), r.error(), r.profileId(), r.eventId(),
                r.replays(), r.body());
    }

    /** A kept call made again with the source's mapping as it is now (an accepted one's event is not recorded twice). */
    public Outcome replay(String workspaceId, String sourceId, String receivedId) {
        access.require(Resource.INTEGRATIONS, Action.WRITE);
        InboundSource s = source(workspaceId, sourceId);
        Received r = log.get(workspaceId, receivedId).filter(x -> x.source().equals(sourceId))
                .orElseThrow(() -> new NotFoundException("received call", receivedId));
        return s.sns() ? processSns(s, r, SnsMessages.parse(r.body()), true) : calls.writeHere(kept(s, r, parse(r.contentType(), r.body())));
    }

    /** Forgets calls older than {@code days}; how many. */
    public int purge(int days) {
        return log.purge(clock.instant().minus(java.time.Duration.ofDays(days)));
    }
}
