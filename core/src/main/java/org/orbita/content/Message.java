package org.orbita.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of a workspace with a variant per channel; every text is a Liquid template.
 * Every save is a new version, kept. Channels a message has no variant for are null. With a
 * {@code promoPool}, each send hands the profile a code of that pool: {@code {{ promo.code }}}
 * (and {@code promo.pool}, {@code promo.valid_until}); a send the pool cannot serve is skipped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(
        String id,
        String workspaceId,
        String name,
        String description,
        Email email,
        Sms sms,
        Push push,
        Telegram telegram,
        Webhook webhook,
        String promoPool,
        long version,
        Instant created,
        Instant updated) {

    /** A message without a promo code pool. */
    public Message(String id, String workspaceId, String name, String description, Email email, Sms sms, Push push, Telegram telegram,
                   Webhook webhook, long version, Instant created, Instant updated) {
        this(id, workspaceId, name, description, email, sms, push, telegram, webhook, null, version, created, updated);
    }

    /** Whether a template of the message mentions {@code cart} (the profile's cart, read when it is sent). */
    public boolean usesCart() {
        for (String t : templates().values()) {
            if (t.contains("cart")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a template of the message uses {@code promo} (the code of {@link #promoPool}, issued when it is sent). */
    public boolean usesPromo() {
        if (promoPool == null) {
            return false;
        }
        for (String t : templates().values()) {
            if (t.contains("promo")) {
                return true;
            }
        }
        return false;
    }

    /** The channels this message has variants for, in a fixed order. */
    public List<String> channels() {
        List<String> out = new ArrayList<>();
        if (email != null) out.add("email");
        if (sms != null) out.add("sms");
        if (push != null) out.add("push");
        if (telegram != null) out.add("telegram");
        if (webhook != null) out.add("webhook");
        return out;
    }

    /** Every template text with the field it lives in ({@code email.subject}, {@code push.actions[1].title}, …). */
    public Map<String, String> templates() {
        Map<String, String> out = new LinkedHashMap<>();
        if (email != null) {
            put(out, "email.subject", email.subject());
            put(out, "email.preheader", email.preheader());
            put(out, "email.fromName", email.fromName());
            put(out, "email.fromAddress", email.fromAddress());
            put(out, "email.replyTo", email.replyTo());
            put(out, "email.html", email.html());
            put(out, "email.text", email.text());
        }
        if (sms != null) {
            put(out, "sms.text", sms.text());
        }
        if (push != null) {
            put(out, "push.title", push.title());
            put(out, "push.body", push.body());
            put(out, "push.image", push.image());
            put(out, "push.deepLink", push.deepLink());
            List<Button> actions = push.actions() == null ? List.of() : push.actions();
            for (int i = 0; i < actions.size(); i++) {
                put(out, "push.actions[" + i + "].title", actions.get(i).title());
                put(out, "push.actions[" + i + "].link", actions.get(i).link());
            }
        }
        if (telegram != null) {
            put(out, "telegram.text", telegram.text());
            put(out, "telegram.image", telegram.image());
            List<Button> buttons = telegram.buttons() == null ? List.of() : telegram.buttons();
            for (int i = 0; i < buttons.size(); i++) {
                put(out, "telegram.buttons[" + i + "].title", buttons.get(i).title());
                put(out, "telegram.buttons[" + i + "].link", buttons.get(i).link());
            }
        }
        if (webhook != null) {
            put(out, "webhook.url", webhook.url());
            put(out, "webhook.body", webhook.body());
            if (webhook.headers() != null) {
                webhook.headers().forEach((k, v) -> put(out, "webhook.headers." + k, v));
            }
        }
        return out;
    }

    private static void put(Map<String, String> out, String field, String text) {
        if (text != null && !text.isEmpty()) {
            out.put(field, text);
        }
    }

    /**
     * The email variant. {@code text} is generated from the HTML when absent; {@code inlineCss}
     * (default true) inlines the HTML's stylesheets; {@code editor} says which editor owns the
     * HTML ({@code code} or {@code blocks}, whose project is kept in {@code blocks}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String subject, String preheader, String fromName, String fromAddress, String replyTo,
                        String html, String text, Boolean inlineCss, String editor, String blocks) {}

    /** The SMS variant: the text and an optional sender name (alpha name). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sms(String text, String sender) {}

    /** A mobile or web push: title, body, image, deep link and up to three action buttons (rich push). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Push(String title, String body, String image, String deepLink, List<Button> actions) {}

    /** A Telegram message: text in {@code HTML} or {@code MarkdownV2}, an optional image and inline URL buttons (row numbers from 0). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Telegram(String text, String parseMode, String image, List<Button> buttons) {}

    /** A button of a push or an inline keyboard; {@code row} places Telegram buttons. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(String title, String link, Integer row) {}

    /** A webhook / custom channel call: method, URL and headers (templates) and a JSON body template. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(String method, String url, Map<String, String> headers, String body) {}
}
