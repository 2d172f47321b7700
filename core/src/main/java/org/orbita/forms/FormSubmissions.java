package org.orbita.forms;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.orbita.common.FieldError;
import org.orbita.common.GroupCommit;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Signer;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.forms.Form.Consent;
import org.orbita.forms.Form.Field;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.WriteMode;
import org.orbita.profiles.WriteResult;

/**
 * What a form's visitors send: a view, a start (the first answer typed), a submission. Only a
 * valid submission becomes a profile — created or found by the form's unique field, its mapped
 * fields written, its consents subscribed — and a {@code form.submitted} event in its history,
 * which segments, trigger campaigns and journeys hear. A submission that trips a spam defence
 * (the honeypot, faster than the form allows, too many from one address) is refused and kept as
 * a {@code form.rejected} event apart from every profile, which nothing reacts to; one with
 * wrong answers is refused by name and not kept (the visitor corrects it). A submission id seen
 * before is answered as a repeat and changes nothing.
 */
public final class FormSubmissions {

    public static final String SUBMITTED = "form.submitted";
    public static final String REJECTED = "form.rejected";
    public static final String VIEWED = "form.viewed";
    public static final String STARTED = "form.started";
    public static final int MAX_BODY = 64 * 1024;
    private static final String PURPOSE = "form-shown";
    private static final String HOOK = "form-hook";
    private static final java.time.Duration HOOK_REPEATS = java.time.Duration.ofDays(7);
    private static final Pattern SUBMISSION_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    /** Who sends, as the endpoint saw them. */
    public record From(String address, String userAgent) {}

    /** What a submission came to: {@code status} accepted, repeat or rejected (spam kept); the profile for accepted and repeat. */
    public record Outcome(String status, String submission, String profileId, boolean created, String reason) {}

    /** A spam defence tripped: refused, and kept as {@code form.rejected}; {@code tooMany} answers 429. */
    public static final class Refused extends RuntimeException {
        private final boolean tooMany;

        Refused(String reason, boolean tooMany) {
            super(reason);
            this.tooMany = tooMany;
        }

        public boolean tooMany() {
            return tooMany;
        }
    }

    private final Forms forms;
    private final ClientDatabases databases;
    private final ProfileWriting writing;
    private final EventLog events;
    private final Signer signer;
    private final Clock clock;
    private final Map<String, long[]> rate = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[1024];
    private final ProfileStore store;
    /** Valid submissions waiting for the writer: many requests' writes go in one transaction and one append (group commit). */
    private final GroupCommit<Pending, Optional<WriteResult>> writer;
    /** Submission ids this node answered lately: a replay is known without asking the log. */
    private final Map<String, Boolean> recent = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    });

    /** A valid submission for the writer; answered with its write, or nothing when it turned out to be a repeat. */
    private record Pending(ClientDatabase db, String submission, Long shownAt, ProfileWriting.Validated change, Map<String, Object> props) {}

    public FormSubmissions(Forms forms, ClientDatabases databases, ProfileStore store, ProfileWriting writing, EventLog events, Signer signer,
                           Clock clock) {
        this.forms = forms;
        this.databases = databases;
        this.store = store;
        this.writing = writing;
        this.events = events;
        this.signer = signer;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.writer = new GroupCommit<>("form-submissions", "submissions", 10_000, 256, this::writeBatch);
    }

    /**
     * The writer: writes every profile of a batch in one transaction — each in a savepoint of its
     * own, so one that fails (a unique value taken meanwhile) fails alone — then appends their
     * events in one go, and only then answers each request.
     */
    private void writeBatch(List<GroupCommit.Waiting<Pending, Optional<WriteResult>>> waiting) {
        List<Pending> batch = waiting.stream().map(GroupCommit.Waiting::item).toList();
        WriteResult[] results = new WriteResult[batch.size()];
        RuntimeException[] failed = new RuntimeException[batch.size()];
        boolean[] repeat = repeats(batch);
        List<Event> appended = new ArrayList<>();
        store.inTransaction(() -> {
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (repeat[i]) {
                    continue;
                }
                try {
                    ProfileWriting.Written w = writing.writeValidated(p.db(), p.change(), WriteMode.UPSERT, ProfileSource.FORM);
                    results[i] = w.result();
                    appended.addAll(w.events());
                    appended.add(new Event("fs-" + p.submission(), p.db().id(), w.result().profile().id(), SUBMITTED, null, clock.instant(),
                            p.props()));
                } catch (RuntimeException e) {
                    failed[i] = e;
                }
            }
            return null;
        });
        events.append(appended);
        for (int i = 0; i < batch.size(); i++) {
            if (failed[i] != null) {
                waiting.get(i).done().completeExceptionally(failed[i]);
            } else {
                waiting.get(i).done().complete(Optional.ofNullable(results[i]));
            }
        }
    }

    /**
     * Which of a batch were submitted before: twice in the batch, or in the log — one look per
     * database for the whole batch, read only from the earliest moment its forms were shown.
     */
    private boolean[] repeats(List<Pending> batch) {
        boolean[] repeat = new boolean[batch.size()];
        Set<String> inBatch = new java.util.HashSet<>();
        Map<String, List<Integer>> byDatabase = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!inBatch.add(batch.get(i).submission())) {
                repeat[i] = true;
            } else {
                byDatabase.computeIfAbsent(batch.get(i).db().id(), k -> new ArrayList<>()).add(i);
            }
        }
        byDatabase.forEach((db, at) -> {
            List<String> ids = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (int i : at) {
                ids.add("fs-" + batch.get(i).submission());
                ids.add("fr-" + batch.get(i).submission());
                first = Math.min(first, batch.get(i).shownAt());
            }
            Set<String> stored = events.existing(db, ids, Instant.ofEpochMilli(first).minusSeconds(60), clock.instant().plusSeconds(60));
            for (int i : at) {
                repeat[i] = stored.contains("fs-" + batch.get(i).submission()) || stored.contains("fr-" + batch.get(i).submission());
            }
        });
        return repeat;
    }

    /** A token of the moment the form was shown, signed: the minimum fill time is measured from it. */
    public String shown(String formId) {
        String body = formId + "." + clock.millis();
        return body + "." + signer.sign(PURPOSE, body);
    }

    /** A view or a start of a published form by an anonymous visitor of the page; counted, heard by nothing. */
    public void seen(String formId, String kind, String visitor) {
        Form form = forms.published(formId).orElseThrow(() -> new NotFoundException("form", formId));
        if (!kind.equals("view") && !kind.equals("start")) {
            throw new InvalidInputException("kind", kind, "must be view or start");
        }
        if (visitor == null || !VISITOR.matcher(visitor).matches()) {
            throw new InvalidInputException("visitor", visitor, "8 to 64 letters, digits, _ or -");
        }
        String type = kind.equals("view") ? VIEWED : STARTED;
        events.append(List.of(new Event(type.substring(5) + "-" + formId + "-" + visitor, form.database(), Event.visitorKey("form-" + visitor), type,
                null, clock.instant(), Map.of("form", form.id()))));
    }

    /**
     * One submission: {@code {id, answers: {question: value}, consents: {name: true}, shown, hp, page, referrer}}, of at
     * most {@link #MAX_BODY} bytes as sent (the endpoint reads no more).
     *
     * @throws InvalidInputException naming each wrong answer (nothing kept)
     * @throws Refused for spam (kept as rejected)
     */
    public Outcome submit(String formId, Map<String, Object> body, From from) {
        return submit(forms.published(formId).orElseThrow(() -> new NotFoundException("form", formId)), body, from, true);
    }

    /** The key in a form's webhook address (derived from the form's id and the platform's secret: nothing to store, nothing to leak). */
    public String hookKey(String formId) {
        return signer.sign(HOOK, formId);
    }

    /**
     * A submission from another form builder's webhook (Tilda's: {@code application/x-www-form-urlencoded}
     * with {@code Name}, {@code Email}, {@code Phone}, the form's own fields, {@code tranid}, {@code formid}),
     * mapped onto the form's questions the same way: a parameter named as a question (any case) answers it
     * (an email question also takes {@code Email}, a phone question {@code Phone}), one named as a consent
     * ticks it when it says yes. The webhook's key stands for the browser's spam proofs; {@code tranid}
     * makes a resent delivery a repeat. Tilda's test request ({@code test}) is answered without a submission.
     * LPGenerator's leads come the same way with their parts nested ({@code lead_data.email} — the
     * transport flattens JSON objects and {@code lead_data[email]} to dotted names): a question is
     * answered from {@code lead_data}, the page from {@code meta_data} ({@code page_url}, {@code url}
     * or {@code page}), campaign tags from {@code utm_data}, and the lead's id
     * ({@code lead_data.id}, {@code meta_data.lead_id}) makes a resent lead a repeat.
     *
     * @throws Refused when the key does not check (nothing kept)
     */
    public Outcome fromHook(String formId, String key, Map<String, String> params, From from) {
        Form form = forms.published(formId).orElseThrow(() -> new NotFoundException("form", formId));
        if (key == null || !signer.checks(HOOK, formId, key)) {
            throw new Refused("this webhook address's key is not the form's", false);
        }
        if (params.containsKey("test") && params.keySet().stream().noneMatch(k -> !k.equals("test") && !k.equals("formid"))) {
            return new Outcome("test", null, null, false, null);
        }
        Map<String, Object> answers = new LinkedHashMap<>();
        for (Form.Field f : form.fields()) {
            String v = param(params, f.name());
            if (v == null && f.type().equals("email")) {
                v = param(params, "email");
            } else if (v == null && f.type().equals("phone")) {
                v = param(params, "phone");
            }
            if (v == null || v.isEmpty()) {
                continue;
            }
            answers.put(f.name(), switch (f.type()) {
                case "number", "rating", "nps" -> v.matches("-?[0-9]{1,15}") ? (Object) Long.parseLong(v) : v;
                case "checkbox" -> yes(v);
                case "checkboxes" -> List.of(v.split("\\s*[;,]\\s*"));
                default -> v;
            });
        }
        Map<String, Object> consents = new LinkedHashMap<>();
        form.consents().forEach(c -> consents.put(c.name(), yes(param(params, c.name()))));
        String tranid = first(params, "tranid", "lead_data.id", "lead_id", "meta_data.lead_id").replaceAll("[^A-Za-z0-9_-]", "_");
        String id = tranid.isEmpty() ? "hook-" + signer.sign(HOOK + "-body", new java.util.TreeMap<>(params).toString()).substring(0, 40)
                : "hook-" + (tranid.length() > 59 ? tranid.substring(0, 59) : tranid);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.length() < 8 ? id + "-000" : id);
        body.put("answers", answers);
        body.put("consents", consents);
        String page = first(params, "referer", "meta_data.page_url", "meta_data.url", "meta_data.page");
        if (!page.isEmpty()) {
            body.put("page", page);
        }
        Map<String, Object> utm = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (name.startsWith("utm_data.") && v != null && !v.isBlank()) {
                String tag = name.substring("utm_data.".length());
                utm.put(tag.startsWith("utm_") ? tag : "utm_" + tag, v.strip());
            }
        });
        if (!utm.isEmpty()) {
            body.put("utm", utm);
        }
        return submit(form, body, from, false);
    }

    /** A parameter by name (any case), or the same name inside LPGenerator's {@code lead_data}. */
    private static String param(Map<String, String> params, String name) {
        for (String key : List.of(name, "lead_data." + name)) {
            for (Map.Entry<String, String> p : params.entrySet()) {
                if (p.getKey().equalsIgnoreCase(key)) {
                    return p.getValue() == null ? null : p.getValue().strip();
                }
            }
        }
        return null;
    }

    /** The first of these parameters that is given (exact names), or "". */
    private static String first(Map<String, String> params, String... names) {
        for (String n : names) {
            String v = params.get(n);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    private static boolean yes(String v) {
        return v != null && (v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on") || v.equalsIgnoreCase("true") || v.equals("1")
                || v.equalsIgnoreCase("да"));
    }

    private Outcome submit(Form form, Map<String, Object> body, From from, boolean fromBrowser) {
        String formId = form.id();
        ClientDatabase db = databases.find(form.database()).orElseThrow(() -> new NotFoundException("database", form.database()));
        Object idGiven = body.get("id");
        if (!(idGiven instanceof String sid) || !SUBMISSION_ID.matcher(sid).matches()) {
            throw new InvalidInputException("id", idGiven, "a submission id of 8 to 64 letters, digits, _ or - is required (a repeat of it changes nothing)");
        }
        Object answersGiven = body.getOrDefault("answers", Map.of());
        Object consentsGiven = body.getOrDefault("consents", Map.of());
        if (!(answersGiven instanceof Map<?, ?> answers) || !(consentsGiven instanceof Map<?, ?> consents)) {
            throw new InvalidInputException("answers", null, "answers and consents are objects by question name");
        }
        Map<String, Object> context = context(body);
        // a webhook's delivery has no moment shown; its resends (hours later at most) are looked for in the week before
        Long shownAt = fromBrowser ? shownAt(form.id(), body.get("shown")) : Long.valueOf(clock.millis() - HOOK_REPEATS.toMillis());
        synchronized (locks[Math.floorMod(sid.hashCode(), locks.length)]) {
            if (recent.containsKey(sid)) {
                return new Outcome("repeat", sid, null, false, null);
            }
            String spam = fromBrowser ? spam(form, body, shownAt, from) : null;
            if (spam != null) {
                if (seenBefore(db, sid, shownAt)) {
                    return new Outcome("repeat", sid, null, false, null);
                }
                Map<String, Object> kept = new LinkedHashMap<>(context);
                kept.put("form", form.id());
                kept.put("reason", spam);
                kept.put("answers", answers);
                events.append(List.of(new Event("fr-" + sid, db.id(), Event.visitorKey("form-" + sid), REJECTED, null, clock.instant(), kept)));
                recent.put(sid, Boolean.TRUE);
                throw new Refused(spam, spam.equals("too many from this address"));
            }
            Map<String, Object> kept = answers(form, db, answers, consents);
            Map<String, Object> fields = new LinkedHashMap<>();
            Object matchValue = null;
            for (Field f : form.fields()) {
                if (f.profileField() != null && kept.containsKey(f.name())) {
                    Object v = kept.get(f.name());
                    fields.put(f.profileField(), v);
                    if (f.profileField().equals(form.matchBy())) {
                        matchValue = v;
                    }
                }
            }
            List<ProfileChange.SubscriptionInput> subscriptions = new ArrayList<>();
            for (Consent c : form.consents()) {
                if (Boolean.TRUE.equals(consents.get(c.name()))) {
                    String wanted = c.channel().equals("email") ? "email" : "phone";
                    form.fields().stream().filter(f -> f.type().equals(wanted) && kept.get(f.name()) != null).findFirst()
                            .ifPresent(f -> subscriptions.add(new ProfileChange.SubscriptionInput(c.channel(), kept.get(f.name()), c.resource(),
                                    c.confirm() == null ? "active" : "pending")));
                }
            }
            ProfileWriting.Validated change = writing.validate(db, new ProfileChange(form.matchBy(), matchValue, fields, subscriptions, null, null));
            Map<String, Object> props = new LinkedHashMap<>(context);
            props.put("form", form.id());
            props.put("form_name", form.name());
            props.put("submission", sid);
            props.put("answers", kept);
            List<String> agreed = form.consents().stream().filter(c -> Boolean.TRUE.equals(consents.get(c.name()))).map(Consent::name).toList();
            if (!agreed.isEmpty()) {
                props.put("consents", agreed);
            }
            List<String> toConfirm = form.consents().stream().filter(c -> c.confirm() != null && agreed.contains(c.name())).map(Consent::name)
                    .toList();
            if (!toConfirm.isEmpty()) {
                props.put("confirm", toConfirm); // FormConfirmations sends each its message
            }
            Optional<WriteResult> written = writer.write(new Pending(db, sid, shownAt, change, props));
            recent.put(sid, Boolean.TRUE);
            return written.map(w -> new Outcome("accepted", sid, w.profile().id(), w.created(), null))
                    .orElseGet(() -> new Outcome("repeat", sid, null, false, null));
        }
    }

    /**
     * Whether a refused submission's id was answered before, in the log — looked up from the moment
     * its form was shown (a submission never comes before it) when it carries that moment. Valid
     * ones are looked up by the writer, a batch at a time ({@link #repeats}).
     */
    private boolean seenBefore(ClientDatabase db, String sid, Long shownAt) {
        Instant from = shownAt == null ? null : Instant.ofEpochMilli(shownAt).minusSeconds(60);
        Instant to = shownAt == null ? null : clock.instant().plusSeconds(60);
        return !events.existing(db.id(), List.of("fs-" + sid, "fr-" + sid), from, to).isEmpty();
    }

    /** The first spam defence a submission trips, or null. */
    private String spam(Form form, Map<String, Object> body, Long shownAt, From from) {
        Object hp = body.get("hp");
        if (hp != null && !(hp instanceof String s && s.isEmpty())) {
            return "honeypot filled";
        }
        long now = clock.millis();
        if (shownAt == null) {
            return "no proof the form was shown";
        }
        if (now - shownAt < form.spam().minSeconds() * 1000L) {
            return "sent " + (now - shownAt) + " ms after the form was shown";
        }
        if (form.spam().work() > 0 && !worked(body.get("shown"), body.get("id"), body.get("pow"), form.spam().work())) {
            return "no proof of work";
        }
        String key = form.id() + "|" + from.address();
        long minute = now / 60_000;
        if (rate.size() > 100_000) {
            rate.clear(); // bounded: a flood of addresses costs the window, never memory
        }
        long[] window = rate.compute(key, (k, w) -> w == null || w[0] != minute ? new long[] {minute, 1} : new long[] {minute, w[1] + 1});
        if (window[1] > form.spam().perMinute()) {
            return "too many from this address";
        }
        return null;
    }

    /** Whether SHA-256 of {@code shown:id:nonce} starts with {@code bits} zero bits (the form's script searched for the nonce). */
    static boolean worked(Object shown, Object id, Object nonce, int bits) {
        if (!(nonce instanceof String n) || n.isEmpty() || n.length() > 40 || !(shown instanceof String s) || !(id instanceof String i)) {
            return false;
        }
        byte[] d;
        try {
            d = java.security.MessageDigest.getInstance("SHA-256").digest((s + ":" + i + ":" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int b = 0; b < bits; b++) {
            if ((d[b / 8] & (0x80 >>> (b % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

    private Long shownAt(String formId, Object token) {
        if (!(token instanceof String t) || t.length() > 200) {
            return null;
        }
        int last = t.lastIndexOf('.');
        int first = t.indexOf('.');
        if (first <= 0 || last <= first || !t.substring(0, first).equals(formId)) {
            return null;
        }
        String at = t.substring(first + 1, last);
        if (!at.matches("[0-9]{1,15}") || !signer.checks(PURPOSE, t.substring(0, last), t.substring(last + 1))) {
            return null;
        }
        long shown = Long.parseLong(at);
        return shown > clock.millis() + 60_000 || clock.millis() - shown > 86_400_000L ? null : shown;
    }

    /** The questions asked (each one's show-if holding), every answer checked as its question and the profile's field say. */
    static Map<String, Object> answers(Form form, ClientDatabase db, Map<?, ?> given, Map<?, ?> consents) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Object k : given.keySet()) {
            if (!(k instanceof String name) || form.field(name).isEmpty()) {
                errors.add(FieldError.of("answers." + k, null, "is not a question of this form"));
            }
        }
        for (Field f : form.fields()) {
            if (f.showIf() != null && !shown(f.showIf(), kept)) {
                continue; // not asked: neither required nor kept
            }
            String at = "answers." + f.name();
            Object raw = given.get(f.name());
            if (raw == null || (raw instanceof String s && s.isBlank()) || (raw instanceof Collection<?> c && c.isEmpty())) {
                if (f.required()) {
                    errors.add(FieldError.of(at, null, "is required"));
                }
                continue;
            }
            try {
                Object value = value(f, raw);
                if (f.profileField() != null) {
                    FieldDefinition def = db.schema().field(f.profileField()).orElseThrow(() -> new IllegalArgumentException(
                            "its profile field is no longer in the database"));
                    def.convert(value);
                }
                kept.put(f.name(), value);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(at, raw instanceof String s && s.length() > 60 ? s.substring(0, 60) + "…" : raw, e.getMessage()));
            }
        }
        for (Consent c : form.consents()) {
            Object v = consents.get(c.name());
            if (v != null && !(v instanceof Boolean)) {
                errors.add(FieldError.of("consents." + c.name(), v, "must be true or false"));
            } else if (c.required() && !Boolean.TRUE.equals(v)) {
                errors.add(FieldError.of("consents." + c.name(), v, "is required"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return kept;
    }

    private static boolean shown(Form.ShowIf rule, Map<String, Object> answered) {
        Object a = answered.get(rule.field());
        if (a instanceof Collection<?> many) {
            return many.stream().anyMatch(x -> rule.values().contains(String.valueOf(x)));
        }
        return a != null && rule.values().contains(String.valueOf(a));
    }

    /** An answer as its question takes it, or an exception with the rule it breaks. */
    private static Object value(Field f, Object raw) {
        switch (f.type()) {
            case "checkbox" -> {
                if (!(raw instanceof Boolean b)) {
                    throw new IllegalArgumentException("must be true or false");
                }
                return b;
            }
            case "checkboxes" -> {
                if (!(raw instanceof Collection<?> many) || many.size() > f.options().size()) {
                    throw new IllegalArgumentException("must be a list of the question's options");
                }
                List<String> out = new ArrayList<>();
                for (Object o : many) {
                    String v = String.valueOf(o);
                    if (f.options().stream().noneMatch(opt -> opt.value().equals(v))) {
                        throw new IllegalArgumentException("'" + v + "' is not one of the question's options");
                    }
                    if (!out.contains(v)) {
                        out.add(v);
                    }
                }
                return out;
            }
            case "rating", "nps", "number" -> {
                BigDecimal n;
                try {
                    n = new BigDecimal(String.valueOf(raw).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number");
                }
                int lo = f.type().equals("nps") ? 0 : 1;
                int hi = f.type().equals("nps") ? 10 : 5;
                if (!f.type().equals("number")) {
                    if (n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(lo)) < 0 || n.compareTo(BigDecimal.valueOf(hi)) > 0) {
                        throw new IllegalArgumentException("must be a whole number from " + lo + " to " + hi);
                    }
                    return n.intValue();
                }
                return n.stripTrailingZeros().scale() <= 0 ? (Object) n.longValueExact() : n.doubleValue();
            }
            default -> { }
        }
        if (!(raw instanceof String s)) {
            throw new IllegalArgumentException("must be text");
        }
        String v = s.strip();
        int max = f.maxLength() == null ? 500 : f.maxLength();
        if (v.length() > max) {
            throw new IllegalArgumentException("at most " + max + " characters");
        }
        if (f.minLength() != null && v.length() < f.minLength()) {
            throw new IllegalArgumentException("at least " + f.minLength() + " characters");
        }
        if (f.pattern() != null && !f.pattern().isEmpty() && !Pattern.compile(f.pattern()).matcher(v).matches()) {
            throw new IllegalArgumentException("does not have the form asked for");
        }
        return switch (f.type()) {
            case "email" -> FieldType.EMAIL.convert(v, List.of()); // checked as the profile schema checks an email
            case "phone" -> FieldType.PHONE.convert(v, List.of());
            case "date" -> FieldType.DATE.convert(v, List.of()).toString();
            case "select", "radio" -> {
                if (f.options().stream().noneMatch(o -> o.value().equals(v))) {
                    throw new IllegalArgumentException("'" + v + "' is not one of the question's options");
                }
                yield v;
            }
            default -> v;
        };
    }

    /** Where the submission came from: the page, its referrer, its campaign tags. */
    private static Map<String, Object> context(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (body.get("page") instanceof String page && page.length() <= 2000 && page.matches("(?i)https?://\\S+")) {
            out.put("page", page);
            int q = page.indexOf('?');
            if (q > 0) {
                for (String pair : page.substring(q + 1).split("[&#]")) {
                    int eq = pair.indexOf('=');
                    String k = eq < 0 ? pair : pair.substring(0, eq);
                    if (k.startsWith("utm_") && k.length() <= 12 && eq > 0) {
                        out.put(k.toLowerCase(Locale.ROOT), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        if (body.get("referrer") instanceof String r && r.length() <= 2000 && r.matches("(?i)https?://\\S+")) {
            out.put("referrer", r);
        }
        if (body.get("utm") instanceof Map<?, ?> utm) {
            utm.forEach((k, v) -> {
                if (k instanceof String tag && tag.matches("utm_[a-z]{1,8}") && v instanceof String value && value.length() <= 200) {
                    out.putIfAbsent(tag, value);
                }
            });
        }
        return out;
    }
}
