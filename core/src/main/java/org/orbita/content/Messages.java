package org.orbita.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.Channel;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The workspace's messages: checked on save (every template parses, each channel's rules),
 * versioned, and rendered per recipient with the snippet library, the outside data sources
 * and signed links.
 *
 * <p>Longer than the ~400 lines we aim for: the checks of every channel's variant sit beside the
 * versions they guard.
 */
public final class Messages {

    public static final int MAX_PUSH_ACTIONS = 3;
    public static final int TELEGRAM_TEXT = 4096;
    public static final int TELEGRAM_CAPTION = 1024;
    private static final Set<String> CHANNELS = Set.of("email", "sms", "push", "telegram", "webhook");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern RENDER = Pattern.compile("\\{%-?\\s*render\\s+['\"]([^'\"]+)['\"]");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");

    private final Documents<Message> current;
    private final Documents<Message> versions;
    private final Templates templates;
    private final Snippets snippets;
    private final ExternalData external;
    private final Links links;
    private final Clock clock;
    private final Access access;

    public Messages(SettingsStore settings, Templates templates, Snippets snippets, ExternalData external, Links links, Clock clock, Access access) {
        this.access = access;
        this.current = new Documents<>(settings, "messages", Message.class, Message::id);
        this.versions = new Documents<>(settings, "message_versions", Message.class, m -> m.id() + "@" + m.version());
        this.templates = templates;
        this.snippets = snippets;
        this.external = external;
        this.links = links;
        this.clock = clock;
    }

    public Message create(String workspaceId, Message draft) {
        access.require(Resource.MESSAGES, Action.WRITE);
        check(draft);
        var now = clock.instant();
        return access.recorded(Resource.MESSAGES, Action.WRITE, null, store(new Message(Ids.next(), workspaceId, draft.name().strip(),
                draft.description(), email(draft.email()), draft.sms(), draft.push(), telegram(draft.telegram()), webhook(draft.webhook()), promoPool(draft.promoPool()), 1, now, now)));
    }

    /** Saves a new version of a message. */
    public synchronized Message update(String workspaceId, String id, Message draft) {
        access.require(Resource.MESSAGES, Action.WRITE);
        Message old = get(workspaceId, id);
        check(draft);
        return access.recorded(Resource.MESSAGES, Action.WRITE, old, store(new Message(id, workspaceId, draft.name().strip(),
                draft.description(), email(draft.email()), draft.sms(), draft.push(), telegram(draft.telegram()), webhook(draft.webhook()),
                promoPool(draft.promoPool()), old.version() + 1, old.created(), clock.instant())));
    }

    private Message store(Message m) {
        versions.put(m);
        return current.put(m);
    }

    public Optional<Message> find(String workspaceId, String id) {
        return current.get(id).filter(m -> m.workspaceId().equals(workspaceId) && access.sees(Resource.MESSAGES, id));
    }

    public Message get(String workspaceId, String id) {
        return find(workspaceId, id).orElseThrow(() -> new NotFoundException("message", id));
    }

    /** A stored version (what a send or a view-in-browser link of that version renders). */
    public Message version(String workspaceId, String id, long version) {
        access.require(Resource.MESSAGES, Action.READ);
        return versions.get(id + "@" + version).filter(m -> m.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("message version", id + "@" + version));
    }

    public List<Message> versions(String workspaceId, String id) {
        access.require(Resource.MESSAGES, Action.READ);
        Message latest = get(workspaceId, id);
        List<Message> out = new ArrayList<>();
        for (long v = 1; v <= latest.version(); v++) {
            versions.get(id + "@" + v).ifPresent(out::add);
        }
        return out;
    }

    public List<Message> list(String workspaceId) {
        access.require(Resource.MESSAGES, Action.READ);
        return current.list().stream().filter(m -> m.workspaceId().equals(workspaceId) && access.sees(Resource.MESSAGES, m.id()))
                .sorted(Comparator.comparing(Message::updated).reversed()).toList();
    }

    public boolean delete(String workspaceId, String id) {
        access.require(Resource.MESSAGES, Action.DELETE);
        Optional<Message> old = find(workspaceId, id);
        boolean deleted = old.isPresent() && current.delete(id);
        if (deleted) {
            access.changed(Resource.MESSAGES, Action.DELETE, id, old.get(), null);
        }
        return deleted;
    }

    /** The snippets a message renders, directly or through other snippets of the library. */
    public Set<String> snippetsUsed(Message m) {
        Map<String, String> library = snippets.forRender(m.workspaceId(), Map.of());
        Set<String> found = new LinkedHashSet<>();
        List<String> toVisit = new ArrayList<>();
        m.templates().values().forEach(t -> toVisit.addAll(renderedNames(t)));
        while (!toVisit.isEmpty()) {
            String name = toVisit.remove(toVisit.size() - 1);
            if (found.add(name) && library.containsKey(name)) {
                toVisit.addAll(renderedNames(library.get(name)));
            }
        }
        return found;
    }

    /** The messages that render a snippet (what a change to it touches). */
    public List<Message> usingSnippet(String workspaceId, String name) {
        return list(workspaceId).stream().filter(m -> snippetsUsed(m).contains(name)).toList();
    }

    private static List<String> renderedNames(String text) {
        List<String> out = new ArrayList<>();
        Matcher matcher = RENDER.matcher(text);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    private record TemplateKey(String html, String preheader, boolean inline, String text) {}

    /** Templates prepared once ({@link EmailHtml#prepareTemplate}); a template that cannot be is kept as {@link #UNPREPARED}. */
    private final Map<TemplateKey, EmailHtml.PreparedTemplate> prepared = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TemplateKey, EmailHtml.PreparedTemplate> eldest) {
                    return size() > 64;
                }
            });
    private static final EmailHtml.PreparedTemplate UNPREPARED = new EmailHtml.PreparedTemplate(null, null);

    private EmailHtml.PreparedTemplate preparedTemplate(String html, String preheader, boolean inline, String text) {
        TemplateKey key = new TemplateKey(html, preheader, inline, text);
        EmailHtml.PreparedTemplate p = prepared.get(key);
        if (p == null) {
            p = EmailHtml.prepareTemplate(html, preheader, inline, text);
            prepared.put(key, p == null ? UNPREPARED : p);
        }
        return p == UNPREPARED ? null : p;
    }

    /** The profile channel a message variant goes out through ({@code webhook} → custom). */
    public static Channel channelOf(String variant) {
        return switch (variant) {
            case "email" -> Channel.EMAIL;
            case "sms" -> Channel.SMS;
            case "push" -> Channel.PUSH;
            case "webpush" -> Channel.WEBPUSH;
            case "telegram" -> Channel.TELEGRAM;
            default -> Channel.CUSTOM;
        };
    }

    /** The data a template sees for a profile: {@code profile} (its fields, id and database) and, for a channel, its {@code subscription}. */
    public static Map<String, Object> profileData(Profile p, Channel channel) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> profile = new LinkedHashMap<>(p.fields());
        profile.put("id", p.id());
        profile.put("database_id", p.databaseId());
        data.put("profile", Json.MAPPER.convertValue(profile, Map.class));
        if (channel != null) {
            p.subscriptions().stream().filter(s -> s.channel() == channel)
                    .sorted(Comparator.comparing((Subscription s) -> s.status() != Subscription.Status.ACTIVE))
                    .findFirst()
                    .ifPresent(s -> data.put("subscription", Map.of("channel", s.channel().id(), "address", s.address(),
                            "resource", s.resource(), "status", s.status().id())));
        }
        return data;
    }

    /**
     * Renders a message's variants for the given channels (all it has when none given).
     *
     * @param data         the top-level names templates see: profile, subscription, event, data, campaign, journey, promo
     * @param draftSnippets snippets that take precedence over the library's (an unsaved edit)
     * @param link         whom the links are for (null: links point nowhere in particular, as in a preview)
     * @throws InvalidInputException naming each field that failed ({@code email.html: line 3, column 7 …})
     */
    public RenderedMessage render(Message m, Map<String, Object> data, Collection<String> channels,
                                  Map<String, String> draftSnippets, Links.Context link) {
        Set<String> wanted = new LinkedHashSet<>(channels == null || channels.isEmpty() ? m.channels() : channels);
        for (String c : wanted) {
            if (!CHANNELS.contains(c)) {
                throw new InvalidInputException("channels", c, "must be among " + m.channels());
            }
            if (!m.channels().contains(c)) {
                throw new InvalidInputException("channels", c, "the message has no " + c + " variant (it has " + m.channels() + ")");
            }
        }
        Links.Context context = link != null ? link : new Links.Context(m.workspaceId(), null, null, m.id(), m.version(), null);
        Run run = new Run(data, snippets.forRender(m.workspaceId(), draftSnippets), new Templates.Extras(external.fetcher(m.workspaceId()), links, context));
        RenderedMessage.Email email = null;
        RenderedMessage.Sms sms = null;
        RenderedMessage.Push push = null;
        RenderedMessage.Telegram telegram = null;
        RenderedMessage.Webhook webhook = null;
        if (wanted.contains("email")) {
            Message.Email e = m.email();
            Run r = run.forChannel(link, "email");
            String preheader = r.text("email.preheader", e.preheader());
            String fromName = r.text("email.fromName", e.fromName());
            String fromAddress = r.text("email.fromAddress", e.fromAddress());
            String html = null;
            String text = null;
            boolean inline = !Boolean.FALSE.equals(e.inlineCss());
            // the template prepared once (CSS inlined, text part made) when that gives what preparing each result would
            EmailHtml.PreparedTemplate once = e.html() == null || (e.preheader() != null && e.preheader().contains("{")) ? null
                    : preparedTemplate(e.html(), e.preheader(), inline, e.text());
            if (once != null) {
                int before = r.errors.size();
                html = r.text("email.html", once.html());
                text = r.text("email.text", once.text());
                if (r.errors.size() > before) {
                    // report errors against the message's own template, as written
                    r.errors.subList(before, r.errors.size()).clear();
                    once = null;
                }
            }
            if (once == null) {
                html = r.text("email.html", e.html());
                text = r.text("email.text", e.text());
                if (html != null) {
                    EmailHtml.Prepared prepared = EmailHtml.prepare(html, preheader, inline, text);
                    html = prepared.html();
                    text = prepared.text();
                }
            }
            String from = fromAddress == null || fromAddress.isBlank() ? null
                    : fromName == null || fromName.isBlank() ? fromAddress.strip() : "\"" + fromName.strip().replace("\"", "'") + "\" <" + fromAddress.strip() + ">";
            email = new RenderedMessage.Email(r.text("email.subject", e.subject()), preheader, from, r.text("email.replyTo", e.replyTo()), html, text);
        }
        if (wanted.contains("sms")) {
            Run r = run.forChannel(link, "sms");
            String text = r.text("sms.text", m.sms().text());
            sms = new RenderedMessage.Sms(text, m.sms().sender(), SmsCount.of(text));
        }
        if (wanted.contains("push")) {
            Message.Push p = m.push();
            Run r = run.forChannel(link, "push");
            push = new RenderedMessage.Push(r.text("push.title", p.title()), r.text("push.body", p.body()), r.text("push.image", p.image()),
                    r.text("push.deepLink", p.deepLink()), r.buttons("push.actions", p.actions()));
        }
        if (wanted.contains("telegram")) {
            Message.Telegram t = m.telegram();
            Run r = run.forChannel(link, "telegram");
            String text = r.text("telegram.text", t.text());
            String image = r.text("telegram.image", t.image());
            int limit = image == null || image.isBlank() ? TELEGRAM_TEXT : TELEGRAM_CAPTION;
            if (text != null && text.length() > limit) {
                r.errors.add(FieldError.of("telegram.text", text.length() + " characters",
                        "Telegram takes at most " + limit + (limit == TELEGRAM_CAPTION ? " characters in an image caption" : " characters")));
            }
            telegram = new RenderedMessage.Telegram(text, t.parseMode(), image, r.buttons("telegram.buttons", t.buttons()));
        }
        if (wanted.contains("webhook")) {
            Message.Webhook w = m.webhook();
            Run r = run.forChannel(link, "webhook");
            Map<String, String> headers = new LinkedHashMap<>();
            if (w.headers() != null) {
                w.headers().forEach((k, v) -> headers.put(k, r.text("webhook.headers." + k, v)));
            }
            Object body = null;
            String rendered = r.text("webhook.body", w.body());
            if (rendered != null && !rendered.isBlank()) {
                try {
                    body = Json.MAPPER.readValue(rendered, Object.class);
                } catch (JsonProcessingException ex) {
                    r.errors.add(FieldError.of("webhook.body", rendered, "the rendered body is not JSON (use | json for values): "
                            + ex.getOriginalMessage()));
                }
            }
            webhook = new RenderedMessage.Webhook(w.method(), r.text("webhook.url", w.url()), headers, body);
        }
        if (!run.errors.isEmpty()) {
            throw new InvalidInputException(run.errors);
        }
        return new RenderedMessage(m.id(), m.version(), email, sms, push, telegram, webhook, List.copyOf(run.warnings));
    }

    /** One render of a message: the shared data, and the errors and warnings of every field. */
    private final class Run {
        final Map<String, Object> data;
        final Map<String, String> snippetTexts;
        final Templates.Extras extras;
        final List<FieldError> errors;
        final Set<String> warnings;

        Run(Map<String, Object> data, Map<String, String> snippetTexts, Templates.Extras extras) {
            this(data, snippetTexts, extras, new ArrayList<>(), new LinkedHashSet<>());
        }

        private Run(Map<String, Object> data, Map<String, String> snippetTexts, Templates.Extras extras, List<FieldError> errors, Set<String> warnings) {
            this.data = data;
            this.snippetTexts = snippetTexts;
            this.extras = extras;
            this.errors = errors;
            this.warnings = warnings;
        }

        /** The same run with links that name the channel. */
        Run forChannel(Links.Context given, String channel) {
            Links.Context c = extras.linkContext();
            Links.Context named = new Links.Context(c.workspaceId(), c.database(), c.profileId(), c.messageId(), c.version(),
                    given != null && given.channel() != null ? given.channel() : channel, c.campaign(), c.run());
            return new Run(data, snippetTexts, new Templates.Extras(extras.fetcher(), extras.links(), named), errors, warnings);
        }

        String text(String field, String template) {
            if (template == null) {
                return null;
            }
            try {
                Templates.Rendered r = templates.render(template, data, snippetTexts, extras);
                r.warnings().forEach(w -> warnings.add(field + ": " + w));
                return r.output();
            } catch (InvalidInputException e) {
                e.errors().forEach(err -> errors.add(new FieldError(field, err.value(), err.rule())));
                return null;
            }
        }

        List<Message.Button> buttons(String field, List<Message.Button> buttons) {
            if (buttons == null) {
                return null;
            }
            List<Message.Button> out = new ArrayList<>();
            for (int i = 0; i < buttons.size(); i++) {
                Message.Button b = buttons.get(i);
                out.add(new Message.Button(text(field + "[" + i + "].title", b.title()), text(field + "[" + i + "].link", b.link()), b.row()));
            }
            return out;
        }
    }

    // ---- checks ----

    private static String promoPool(String pool) {
        return pool == null || pool.isBlank() ? null : pool.strip();
    }

    private void check(Message d) {
        List<FieldError> errors = new ArrayList<>();
        if (d == null) {
            throw new InvalidInputException("message", null, "a body is required");
        }
        if (d.name() == null || d.name().isBlank() || d.name().length() > 200) {
            errors.add(FieldError.of("name", d.name(), "is required, at most 200 characters"));
        }
        if (d.promoPool() != null && !d.promoPool().isBlank() && !d.promoPool().strip().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            errors.add(FieldError.of("promoPool", d.promoPool(), "the id of a promo code pool"));
        }
        if (d.channels().isEmpty()) {
            errors.add(FieldError.of("channels", null, "a message needs at least one variant: email, sms, push, telegram or webhook"));
        }
        if (d.email() != null) {
            Message.Email e = d.email();
            required(errors, "email.subject", e.subject());
            if (blank(e.html()) && blank(e.text())) {
                errors.add(FieldError.of("email.html", null, "an email needs HTML or a text part"));
            }
            address(errors, "email.fromAddress", e.fromAddress());
            address(errors, "email.replyTo", e.replyTo());
            if (e.editor() != null && !Set.of("code", "blocks").contains(e.editor())) {
                errors.add(FieldError.of("email.editor", e.editor(), "must be code or blocks"));
            }
            if (e.blocks() != null && e.blocks().length() > Templates.MAX_TEMPLATE_CHARS * 4) {
                errors.add(FieldError.of("email.blocks", e.blocks().length() + " characters", "the block project may have at most " + Templates.MAX_TEMPLATE_CHARS * 4 + " characters"));
            }
        }
        if (d.sms() != null) {
            required(errors, "sms.text", d.sms().text());
            if (d.sms().sender() != null && !d.sms().sender().matches("[A-Za-z0-9 .&_-]{1,11}|\\+?[0-9]{3,15}")) {
                errors.add(FieldError.of("sms.sender", d.sms().sender(), "is an alpha name of up to 11 letters, digits, spaces or .&_- or a number"));
            }
        }
        if (d.push() != null) {
            Message.Push p = d.push();
            if (blank(p.title()) && blank(p.body())) {
                errors.add(FieldError.of("push.body", null, "a push needs a title or a body"));
            }
            buttons(errors, "push.actions", p.actions(), MAX_PUSH_ACTIONS);
        }
        if (d.telegram() != null) {
            Message.Telegram t = d.telegram();
            required(errors, "telegram.text", t.text());
            if (t.parseMode() != null && !Set.of("HTML", "MarkdownV2").contains(t.parseMode())) {
                errors.add(FieldError.of("telegram.parseMode", t.parseMode(), "must be HTML or MarkdownV2"));
            }
            buttons(errors, "telegram.buttons", t.buttons(), 100);
            if (t.buttons() != null) {
                for (int i = 0; i < t.buttons().size(); i++) {
                    Integer row = t.buttons().get(i).row();
                    if (row != null && (row < 0 || row > 9)) {
                        errors.add(FieldError.of("telegram.buttons[" + i + "].row", row, "rows are numbered 0 to 9"));
                    }
                }
            }
        }
        if (d.webhook() != null) {
            Message.Webhook w = d.webhook();
            if (w.method() != null && !METHODS.contains(w.method().toUpperCase(Locale.ROOT))) {
                errors.add(FieldError.of("webhook.method", w.method(), "must be one of " + METHODS));
            }
            if (w.url() == null || !w.url().matches("(?is)(https?://|\\{\\{).+")) {
                errors.add(FieldError.of("webhook.url", w.url(), "must be an http:// or https:// URL (Liquid allowed)"));
            }
            if (w.headers() != null) {
                w.headers().keySet().stream().filter(k -> !k.matches("[A-Za-z0-9-]{1,64}"))
                        .forEach(k -> errors.add(FieldError.of("webhook.headers", k, "header names are letters, digits and '-'")));
            }
        }
        d.templates().forEach((field, text) -> {
            try {
                templates.validate(text, field);
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static void buttons(List<FieldError> errors, String field, List<Message.Button> buttons, int max) {
        if (buttons == null) {
            return;
        }
        if (buttons.size() > max) {
            errors.add(FieldError.of(field, buttons.size() + " buttons", "at most " + max));
        }
        for (int i = 0; i < buttons.size(); i++) {
            required(errors, field + "[" + i + "].title", buttons.get(i).title());
            required(errors, field + "[" + i + "].link", buttons.get(i).link());
        }
    }

    private static void address(List<FieldError> errors, String field, String value) {
        if (!blank(value) && !value.contains("{{") && !ADDRESS.matcher(value.strip()).matches()) {
            errors.add(FieldError.of(field, value, "must be an email address (name@domain) or a Liquid expression"));
        }
    }

    private static void required(List<FieldError> errors, String field, String value) {
        if (blank(value)) {
            errors.add(FieldError.of(field, value, "is required"));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Message.Email email(Message.Email e) {
        return e == null ? null : new Message.Email(e.subject(), e.preheader(), e.fromName(), e.fromAddress(), e.replyTo(), e.html(), e.text(),
                e.inlineCss() == null ? Boolean.TRUE : e.inlineCss(), e.editor() == null ? "code" : e.editor(), e.blocks());
    }

    private static Message.Telegram telegram(Message.Telegram t) {
        return t == null ? null : new Message.Telegram(t.text(), t.parseMode() == null ? "HTML" : t.parseMode(), t.image(), t.buttons());
    }

    private static Message.Webhook webhook(Message.Webhook w) {
        return w == null ? null : new Message.Webhook(w.method() == null ? "POST" : w.method().toUpperCase(Locale.ROOT), w.url(), w.headers(), w.body());
    }
}
