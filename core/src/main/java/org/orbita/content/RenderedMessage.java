package org.orbita.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A message rendered for one recipient: a rendered variant per channel asked for, and the warnings (unknown variables, fallbacks used). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RenderedMessage(String messageId, long version, Email email, Sms sms, Push push, Telegram telegram,
                              Webhook webhook, List<String> warnings) {

    /** {@code from} is "Name <address>" (or the address alone); {@code text} is the text part, made from the HTML when the message has none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String subject, String preheader, String from, String replyTo, String html, String text) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sms(String text, String sender, SmsCount count) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Push(String title, String body, String image, String deepLink, List<Message.Button> actions) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Telegram(String text, String parseMode, String image, List<Message.Button> buttons) {}

    /** {@code body} is the rendered JSON, parsed (so a template that makes broken JSON fails at render). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(String method, String url, Map<String, String> headers, Object body) {}
}
