package org.orbita.sending;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orbita.common.Json;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.profiles.Channel;
import org.orbita.queues.SendQueue;

/**
 * Turns one send into what its queue carries: the message rendered for the profile (its data,
 * the origin's), then an email for the MTA nodes ({@link EmailEnvelope}: encoded headers,
 * one-click unsubscribe, tracked links and the open pixel) or a channel worker's JSON (the
 * provider's payload and where it goes). Both carry the message's key ({@code run/profile/channel}),
 * which receivers use to drop a message they already have.
 */
public final class MessageComposer {

    private final Messages messages;
    private final LinkTracking tracking;

    public MessageComposer(Messages messages, Links links) {
        this.messages = messages;
        this.tracking = new LinkTracking(links);
    }

    public SendQueue.Message compose(Send send) {
        return compose(send, Map.of());
    }

    /** The message with more data for its templates (the promo code issued for this send, under {@code promo}). */
    public SendQueue.Message compose(Send send, Map<String, Object> extra) {
        return send.entry().channel() == SendChannel.EMAIL ? email(send, extra) : toProvider(send, extra);
    }

    private static Links.Context link(Send s) {
        SendOrigin o = s.origin();
        return new Links.Context(o.workspaceId(), o.database(), s.profile().id(), s.message().id(), s.message().version(),
                s.entry().channel().id(), o.campaignId(), s.runId());
    }

    private static Map<String, Object> templateData(Send s, Channel channel, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(Messages.profileData(s.profile(), channel));
        s.origin().addTo(data);
        data.putAll(extra);
        return data;
    }

    /** The MTA's message for one recipient, with one-click unsubscribe headers (RFC 8058). */
    private SendQueue.Message email(Send s, Map<String, Object> extra) {
        Links.Context link = link(s);
        Message message = s.message();
        RenderedMessage.Email mail = messages.render(message, templateData(s, Channel.EMAIL, extra), List.of("email"), null, link).email();
        String key = s.key();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", MimeHeaders.encodeDisplay(mail.from()));
        headers.put("Subject", MimeHeaders.encode(mail.subject() == null ? "" : mail.subject()));
        if (mail.replyTo() != null && !mail.replyTo().isBlank()) {
            headers.put("Reply-To", mail.replyTo().strip());
        }
        headers.put("List-Unsubscribe", "<" + tracking.unsubscribe(link) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        if (s.origin().campaignId() != null) {
            headers.put("X-Orbita-Campaign", s.origin().campaignId());
        }
        // DSNs and feedback reports (ARF) return the original's headers: this names the message they are about
        headers.put("X-Orbita-Key", key);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key);
        json.put("from", message.email().fromAddress().strip());
        json.put("to", List.of(s.target().address()));
        json.put("subject", mail.subject());
        json.put("headers", headers);
        String html = mail.html() == null ? null : tracking.withPixel(tracking.trackClicks(mail.html(), link), link);
        return new SendQueue.Message(EmailEnvelope.encode(json, html, mail.text()), Map.of("key", key), false);
    }

    /** A message for a channel worker: the rendered variant as its provider takes it, and where it goes. */
    private SendQueue.Message toProvider(Send s, Map<String, Object> extra) {
        Links.Context link = link(s);
        SendChannel channel = s.entry().channel();
        Channel subscription = channel.subscription().orElse(Channel.CUSTOM);
        RenderedMessage r = messages.render(s.message(), templateData(s, subscription, extra), List.of(channel.variant()), null, link);
        String key = s.key();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("run", s.runId());
        if (s.origin().campaignId() != null) {
            json.put("campaign", s.origin().campaignId());
        }
        json.put("database", s.origin().database());
        json.put("profile", s.profile().id());
        json.put("address", s.target() == null ? s.profile().id() : s.target().address());
        json.put("payload", ProviderPayload.of(channel, r, tracking, link, s.origin()));
        return new SendQueue.Message(Json.bytes(json), Map.of("key", key), false);
    }
}
