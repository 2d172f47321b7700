package org.orbita.forms;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.common.Signer;
import org.orbita.forms.Form.Consent;
import org.orbita.forms.Form.Field;
import org.orbita.forms.Form.Option;
import org.orbita.forms.Form.Spam;
import org.orbita.forms.Form.Texts;
import org.orbita.forms.Form.Theme;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.FieldType;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * A workspace's forms and surveys ({@link Form}), kept in the settings store: made and changed
 * by people allowed to write forms, each checked whole against its database's schema (every
 * problem named by its path). The public endpoints read a published form by id from a copy kept
 * here at most {@link #CACHE_MS} old (a change in this process replaces it at once).
 */
public final class Forms {

    public static final Set<String> TYPES = Set.of("text", "textarea", "email", "phone", "number", "date", "select", "radio", "checkboxes",
            "checkbox", "rating", "nps", "hidden");
    public static final Set<String> CHOICES = Set.of("select", "radio", "checkboxes");
    public static final Set<String> LANGUAGES = Set.of("en", "ru");
    public static final Set<String> FONTS = Set.of("system", "serif", "mono");
    static final int MAX_FIELDS = 60;
    static final int MAX_WORK = 22;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern SOURCE = Pattern.compile("page|referrer|utm_(source|medium|campaign|term|content)|query:[A-Za-z0-9_.-]{1,64}");
    private static final long CACHE_MS = 10_000;
    private static final String PREVIEW = "form-preview";

    /** What a person gives to make or change a form; absent parts keep what they were (or their defaults). */
    public record FormInput(String name, String database, String matchBy, List<Field> fields, List<Consent> consents, Map<String, Texts> texts,
                            Theme theme, Spam spam, Boolean published) {}

    private final Documents<Form> forms;
    private final ClientDatabases databases;
    private final Access access;
    private final Clock clock;
    private final Signer signer;
    private final java.util.function.BiPredicate<String, String> emailMessage;
    private final org.orbita.common.ShortCache<Optional<Form>> cache;

    /** @param emailMessage whether a workspace has a message of that id with an email version (a double opt-in's confirmation) */
    public Forms(SettingsStore settings, ClientDatabases databases, Signer signer, Access access, Clock clock,
                 java.util.function.BiPredicate<String, String> emailMessage) {
        this.emailMessage = emailMessage;
        this.forms = new Documents<>(settings, "forms", Form.class, Form::id);
        this.databases = databases;
        this.signer = signer;
        this.access = access;
        this.clock = clock;
        this.cache = new org.orbita.common.ShortCache<>(clock, CACHE_MS, 10_000);
        databases.onDelete(this::forgetDatabase);
    }

    public List<Form> list(String workspaceId) {
        access.require(Resource.FORMS, Action.READ);
        return forms.list().stream().filter(f -> f.workspaceId().equals(workspaceId)).toList();
    }

    public Form get(String workspaceId, String id) {
        access.require(Resource.FORMS, Action.READ);
        return forms.get(id).filter(f -> f.workspaceId().equals(workspaceId)).orElseThrow(() -> new NotFoundException("form", id));
    }

    public Form create(String workspaceId, FormInput input) {
        access.require(Resource.FORMS, Action.WRITE);
        Instant now = clock.instant();
        Form f = checked(workspaceId, Ids.next(), input, null, now, now);
        forms.put(f);
        cache.forget(f.id());
        access.changed(Resource.FORMS, Action.WRITE, f.id(), null, f);
        return f;
    }

    public Form update(String workspaceId, String id, FormInput input) {
        access.require(Resource.FORMS, Action.WRITE);
        Form before = get(workspaceId, id);
        Form after = checked(workspaceId, id, input, before, before.createdAt(), clock.instant());
        forms.put(after);
        cache.forget(id);
        access.changed(Resource.FORMS, Action.WRITE, id, before, after);
        return after;
    }

    public void delete(String workspaceId, String id) {
        access.require(Resource.FORMS, Action.DELETE);
        Form before = get(workspaceId, id);
        forms.delete(id);
        cache.forget(id);
        access.changed(Resource.FORMS, Action.DELETE, id, before, null);
    }

    /**
     * A token that shows the form as it is now, published or not, on the public origin — for the
     * builder's preview; submissions from it are drawn, never sent. Good for an hour.
     */
    public String previewToken(String workspaceId, String id) {
        return signer.expiring(PREVIEW, get(workspaceId, id).id(), clock.instant().plusSeconds(3600));
    }

    /** The form a preview token names, when it checks and is in time; published or not. */
    public Optional<Form> previewed(String id, String token) {
        return signer.unexpired(PREVIEW, token, clock.instant()).filter(id::equals).flatMap(forms::get);
    }

    /** Refuses one who may not change forms (what only they may see: a webhook's key). */
    public void requireWrite() {
        access.require(Resource.FORMS, Action.WRITE);
    }

    /** A form by its id, published or not, as the platform's own work sees it (no permission asked). */
    Optional<Form> find(String id) {
        return id == null || id.length() > 40 ? Optional.empty() : forms.get(id);
    }

    /** A form's name for a report's rows (the report asked its own permission), published or not. */
    public Optional<String> name(String workspaceId, String id) {
        return forms.get(id).filter(f -> f.workspaceId().equals(workspaceId)).map(Form::name);
    }

    /** A published form as the public endpoints see it (no permission asked: its id is public). */
    public Optional<Form> published(String id) {
        if (id == null || id.length() > 40) {
            return Optional.empty();
        }
        return cache.get(id, forms::get).filter(Form::published);
    }

    private void forgetDatabase(String databaseKey) {
        for (Form f : forms.list()) {
            if (f.database().equals(databaseKey)) {
                forms.delete(f.id());
                cache.forget(f.id());
            }
        }
    }

    private Form checked(String workspaceId, String id, FormInput in, Form before, Instant created, Instant now) {
        if (in == null) {
            throw new InvalidInputException("form", null, "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? (before == null ? null : before.name()) : in.name().strip();
        if (name == null || name.isEmpty() || name.length() > 100) {
            errors.add(FieldError.of("name", in.name(), "is required: 1 to 100 characters"));
        }
        String dbGiven = in.database() == null ? (before == null ? null : before.database()) : in.database();
        ClientDatabase db = dbGiven == null ? null : databases.resolve(workspaceId, dbGiven).orElse(null);
        if (db == null) {
            throw new InvalidInputException("database", dbGiven, dbGiven == null ? "is required: the database answers become profiles in"
                    : "no such database in this workspace");
        }
        List<Field> fields = fields(in.fields() != null ? in.fields() : before != null ? before.fields() : List.of(), db, errors);
        String matchBy = in.matchBy() != null ? in.matchBy().strip() : before != null ? before.matchBy() : null;
        List<String> unique = db.schema().uniqueFields().stream().map(FieldDefinition::name).toList();
        if (matchBy == null || !unique.contains(matchBy)) {
            errors.add(FieldError.of("matchBy", matchBy, "must be a unique field of the database: one of " + unique));
        } else if (fields.stream().noneMatch(f -> matchBy.equals(f.profileField()) && f.required())) {
            errors.add(FieldError.of("matchBy", matchBy, "a required question must fill it: it is how a submission finds its profile"));
        }
        List<Consent> consents = consents(workspaceId, in.consents() != null ? in.consents() : before != null ? before.consents() : List.of(),
                fields, db, errors);
        Map<String, Texts> texts = texts(in.texts() != null ? in.texts() : before != null ? before.texts() : Map.of(), errors);
        Theme theme = theme(in.theme() != null ? in.theme() : before != null ? before.theme() : Theme.DEFAULT, errors);
        Spam spam = in.spam() != null ? in.spam() : before != null ? before.spam() : Spam.DEFAULT;
        if (spam.minSeconds() < 0 || spam.minSeconds() > 600) {
            errors.add(FieldError.of("spam.minSeconds", spam.minSeconds(), "from 0 to 600 seconds"));
        }
        if (spam.perMinute() < 1 || spam.perMinute() > 1_000_000) {
            errors.add(FieldError.of("spam.perMinute", spam.perMinute(), "from 1 to 1000000 submissions a minute from one address"));
        }
        if (spam.work() < 0 || spam.work() > MAX_WORK) {
            errors.add(FieldError.of("spam.work", spam.work(), "proof of work from 0 (none) to " + MAX_WORK + " zero bits (16: some 65,000 hashes,"
                    + " a fraction of a second in a browser)"));
        }
        boolean published = in.published() != null ? in.published() : before != null && before.published();
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Form(id, workspaceId, name, db.id(), matchBy, fields, consents, texts, theme, spam, published, created, now);
    }

    private static List<Field> fields(List<Field> given, ClientDatabase db, List<FieldError> errors) {
        if (given.isEmpty() || given.size() > MAX_FIELDS) {
            errors.add(FieldError.of("fields", null, "1 to " + MAX_FIELDS + " questions"));
            return List.of();
        }
        List<Field> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> filled = new HashSet<>();
        int lastStep = 1;
        for (int i = 0; i < given.size(); i++) {
            Field f = given.get(i);
            String p = "fields[" + i + "].";
            if (f == null) {
                errors.add(FieldError.of("fields[" + i + "]", null, "must be an object"));
                continue;
            }
            String name = f.name() == null ? "" : f.name().strip();
            if (!NAME.matcher(name).matches() || !names.add(name)) {
                errors.add(FieldError.of(p + "name", f.name(), "1 to 40 of a-z 0-9 _, a letter first, unique in the form"));
            }
            String type = f.type() == null ? "" : f.type().strip().toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                errors.add(FieldError.of(p + "type", f.type(), "must be one of " + TYPES.stream().sorted().toList()));
            }
            String profileField = f.profileField() == null || f.profileField().isBlank() ? null : f.profileField().strip();
            if (profileField != null) {
                Optional<FieldDefinition> def = db.schema().field(profileField);
                if (def.isEmpty() || FieldDefinition.SYSTEM_NAMES.contains(profileField)) {
                    errors.add(FieldError.of(p + "profileField", profileField, "must be a field of the database"));
                } else if (!fits(type, def.get().type())) {
                    errors.add(FieldError.of(p + "profileField", profileField, "is a " + def.get().type().name().toLowerCase(Locale.ROOT)
                            + " field: a " + type + " question cannot fill it"));
                } else if (!filled.add(profileField)) {
                    errors.add(FieldError.of(p + "profileField", profileField, "is filled by another question already"));
                }
            }
            if (f.pattern() != null && !f.pattern().isEmpty()) {
                try {
                    Pattern.compile(f.pattern());
                } catch (PatternSyntaxException e) {
                    errors.add(FieldError.of(p + "pattern", f.pattern(), "is not a regular expression: " + e.getDescription()));
                }
            }
            int max = f.maxLength() == null ? (type.equals("textarea") ? 5000 : 500) : f.maxLength();
            int min = f.minLength() == null ? 0 : f.minLength();
            if (max < 1 || max > 20_000 || min < 0 || min > max) {
                errors.add(FieldError.of(p + "maxLength", f.maxLength(), "lengths from 0 to 20000, the least no more than the most"));
            }
            List<Option> options = f.options();
            if (CHOICES.contains(type)) {
                Set<String> values = new HashSet<>();
                if (options.isEmpty() || options.size() > 100) {
                    errors.add(FieldError.of(p + "options", null, "a " + type + " question needs 1 to 100 options"));
                }
                for (int j = 0; j < options.size(); j++) {
                    Option o = options.get(j);
                    if (o == null || o.value() == null || o.value().isBlank() || o.value().length() > 100 || !values.add(o.value())) {
                        errors.add(FieldError.of(p + "options[" + j + "].value", o == null ? null : o.value(), "1 to 100 characters, unique"));
                    }
                }
            } else if (!options.isEmpty()) {
                errors.add(FieldError.of(p + "options", null, "only select, radio and checkboxes questions have options"));
            }
            int step = f.step() == null ? lastStep : f.step();
            if (step < lastStep || step > lastStep + 1) {
                errors.add(FieldError.of(p + "step", f.step(), "steps go in order from 1, one at a time (this one: " + lastStep + " or "
                        + (lastStep + 1) + ")"));
            } else {
                lastStep = step;
            }
            if (f.showIf() != null) {
                String on = f.showIf().field();
                if (on == null || !names.contains(on) || on.equals(name)) {
                    errors.add(FieldError.of(p + "showIf.field", on, "must be an earlier question of the form"));
                }
                if (f.showIf().values().isEmpty()) {
                    errors.add(FieldError.of(p + "showIf.values", null, "the answers that show this question are required"));
                }
            }
            String source = f.source() == null || f.source().isBlank() ? null : f.source().strip();
            if (type.equals("hidden") && (source == null || !SOURCE.matcher(source).matches())) {
                errors.add(FieldError.of(p + "source", f.source(), "a hidden field's value comes from page, referrer, utm_source … utm_content"
                        + " or query:name"));
            }
            if (f.label().size() > LANGUAGES.size() || f.label().keySet().stream().anyMatch(l -> !LANGUAGES.contains(l))
                    || f.label().values().stream().anyMatch(l -> l == null || l.length() > 500)) {
                errors.add(FieldError.of(p + "label", null, "labels by language (en, ru), at most 500 characters each"));
            } else if (!type.equals("hidden") && f.label().values().stream().allMatch(String::isBlank)) {
                errors.add(FieldError.of(p + "label", null, "a label in at least one language is required"));
            }
            out.add(new Field(name, type, f.label(), profileField, f.required() && !type.equals("hidden"), f.pattern(), min == 0 ? null : min,
                    max, options, step, f.showIf(), type.equals("hidden") ? source : null));
        }
        return out;
    }

    /** Whether answers of a question type fit a profile field of that type (checked again, value by value, on submission). */
    private static boolean fits(String question, FieldType field) {
        return switch (question) {
            case "email" -> field == FieldType.EMAIL || field == FieldType.STRING;
            case "phone" -> field == FieldType.PHONE || field == FieldType.STRING;
            case "number", "rating", "nps" -> field == FieldType.INTEGER || field == FieldType.DECIMAL || field == FieldType.STRING;
            case "date" -> field == FieldType.DATE || field == FieldType.STRING;
            case "checkbox" -> field == FieldType.BOOLEAN;
            case "checkboxes" -> field == FieldType.TAGS;
            case "select", "radio" -> field == FieldType.ENUM || field == FieldType.STRING;
            default -> field == FieldType.STRING;
        };
    }

    private List<Consent> consents(String workspaceId, List<Consent> given, List<Field> fields, ClientDatabase db, List<FieldError> errors) {
        List<Consent> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        fields.forEach(f -> names.add(f.name()));
        for (int i = 0; i < given.size(); i++) {
            Consent c = given.get(i);
            String p = "consents[" + i + "].";
            if (c == null) {
                errors.add(FieldError.of("consents[" + i + "]", null, "must be an object"));
                continue;
            }
            String name = c.name() == null ? "" : c.name().strip();
            if (!NAME.matcher(name).matches() || !names.add(name)) {
                errors.add(FieldError.of(p + "name", c.name(), "1 to 40 of a-z 0-9 _, a letter first, unique among questions and consents"));
            }
            Channel channel = null;
            try {
                channel = Channel.valueOf(c.channel() == null ? "" : c.channel().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(p + "channel", c.channel(), "must be email or sms (the address comes from the form's answer)"));
            }
            if (channel != null) {
                String wanted = channel == Channel.EMAIL ? "email" : "phone";
                if (channel != Channel.EMAIL && channel != Channel.SMS) {
                    errors.add(FieldError.of(p + "channel", c.channel(), "must be email or sms (the address comes from the form's answer)"));
                } else if (fields.stream().noneMatch(f -> f.type().equals(wanted))) {
                    errors.add(FieldError.of(p + "channel", c.channel(), "needs a " + wanted + " question in the form for the address"));
                }
            }
            String resource = c.resource() == null || c.resource().isBlank() ? "default" : c.resource().strip();
            if (!resource.matches("[A-Za-z0-9_.-]{1,64}")) {
                errors.add(FieldError.of(p + "resource", c.resource(), "1 to 64 letters, digits, _ . -"));
            }
            if (c.label().values().stream().allMatch(l -> l == null || l.isBlank()) || c.label().keySet().stream().anyMatch(l -> !LANGUAGES.contains(l))) {
                errors.add(FieldError.of(p + "label", null, "what the visitor agrees to, in en and/or ru, is required"));
            }
            String confirm = c.confirm() == null || c.confirm().isBlank() ? null : c.confirm().strip();
            if (confirm != null && channel != Channel.EMAIL) {
                errors.add(FieldError.of(p + "confirm", confirm, "double opt-in confirms by email: the consent's channel must be email"));
            } else if (confirm != null && !emailMessage.test(workspaceId, confirm)) {
                errors.add(FieldError.of(p + "confirm", confirm, "must be a message of this workspace with an email version (its link: "
                        + "{{ data.confirm_url }})"));
            }
            out.add(new Consent(name, channel == null ? c.channel() : channel.name().toLowerCase(Locale.ROOT), resource, c.label(), c.required(),
                    confirm));
        }
        return out;
    }

    private static Map<String, Texts> texts(Map<String, Texts> given, List<FieldError> errors) {
        Map<String, Texts> out = new LinkedHashMap<>();
        given.forEach((lang, t) -> {
            if (!LANGUAGES.contains(lang) || t == null) {
                errors.add(FieldError.of("texts." + lang, null, "texts are given per language: en, ru"));
                return;
            }
            for (String s : new String[] {t.title(), t.description(), t.submit(), t.success(), t.next(), t.back()}) {
                if (s != null && s.length() > 2000) {
                    errors.add(FieldError.of("texts." + lang, s.substring(0, 40) + "…", "each text at most 2000 characters"));
                    return;
                }
            }
            out.put(lang, t);
        });
        return out;
    }

    private static Theme theme(Theme t, List<FieldError> errors) {
        for (String[] c : new String[][] {{"primary", t.primary()}, {"background", t.background()}, {"text", t.text()}}) {
            if (c[1] == null || !COLOUR.matcher(c[1]).matches()) {
                errors.add(FieldError.of("theme." + c[0], c[1], "a colour such as #4f46e5"));
            }
        }
        if (t.radius() == null || t.radius() < 0 || t.radius() > 40) {
            errors.add(FieldError.of("theme.radius", t.radius(), "corner radius from 0 to 40 pixels"));
        }
        if (t.font() == null || !FONTS.contains(t.font())) {
            errors.add(FieldError.of("theme.font", t.font(), "one of " + FONTS.stream().sorted().toList()));
        }
        return t;
    }
}
