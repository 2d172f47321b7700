package org.orbita.sending;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.RenderedMessage;

/**
 * What a channel worker hands its provider: a channel's rendered variant as a plain map — push
 * (also web push and the in-app inbox), Telegram, SMS, webhook. Links people tap are tracked as
 * in email.
 */
final class ProviderPayload {

    private ProviderPayload() {}

    static Map<String, Object> of(SendChannel channel, RenderedMessage r, LinkTracking tracking, Links.Context link, SendOrigin origin) {
        Map<String, Object> payload = new LinkedHashMap<>();
        switch (channel) {
            case PUSH, WEBPUSH, INAPP -> {
                RenderedMessage.Push push = r.push();
                payload.put("title", push.title());
                payload.put("body", push.body());
                payload.put("image", push.image());
                payload.put("link", tracking.tracked(push.deepLink(), link));
                List<Map<String, Object>> actions = new ArrayList<>();
                if (push.actions() != null) {
                    for (Message.Button b : push.actions()) {
                        Map<String, Object> action = new LinkedHashMap<>();
                        action.put("title", b.title());
                        action.put("link", tracking.tracked(b.link(), link));
                        actions.add(action);
                    }
                }
                payload.put("actions", actions);
                if (channel == SendChannel.INAPP) {
                    payload.put("database", origin.database());
                    if (origin.campaignId() != null) {
                        payload.put("campaign", origin.campaignId());
                    }
                }
            }
            case TELEGRAM -> {
                // links in the text (HTML mode) and on the buttons are tracked
                String text = r.telegram().text();
                payload.put("text", text != null && "HTML".equalsIgnoreCase(r.telegram().parseMode()) ? tracking.trackClicks(text, link) : text);
                payload.put("parseMode", r.telegram().parseMode());
                payload.put("image", r.telegram().image());
                List<Map<String, Object>> buttons = new ArrayList<>();
                if (r.telegram().buttons() != null) {
                    for (Message.Button b : r.telegram().buttons()) {
                        Map<String, Object> button = new LinkedHashMap<>();
                        button.put("title", b.title());
                        button.put("link", tracking.tracked(b.link(), link));
                        button.put("row", b.row());
                        buttons.add(button);
                    }
                }
                payload.put("buttons", buttons);
            }
            case SMS -> {
                payload.put("text", r.sms().text());
                payload.put("sender", r.sms().sender());
            }
            case WEBHOOK -> {
                payload.put("method", r.webhook().method());
                payload.put("url", r.webhook().url());
                payload.put("headers", r.webhook().headers());
                payload.put("body", r.webhook().body());
            }
            case EMAIL -> throw new IllegalArgumentException("email goes to the MTA nodes as an EmailEnvelope, not to a provider");
        }
        return payload;
    }
}
