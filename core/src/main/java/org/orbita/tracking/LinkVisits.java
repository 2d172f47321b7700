package org.orbita.tracking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.EventIngest;
import org.orbita.profiles.EventInput;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when someone follows a link a message carries: an open (the pixel) and a click
 * are recorded (machine ones flagged), the web view renders the email as that recipient got it,
 * and an unsubscribe turns the recipient's active subscriptions in the channel off. Each is
 * recorded in the recipient's history with the message and campaign; a link whose signature
 * does not check does nothing.
 */
public final class LinkVisits {

    private static final Logger log = LoggerFactory.getLogger(LinkVisits.class);

    /** What the web view of a message shows. */
    public sealed interface WebView {
        record Page(String html) implements WebView {}

        record NotValid() implements WebView {}

        record NoWebVersion() implements WebView {}
    }

    /** What an unsubscribe did. */
    public enum Unsubscribed { DONE, NOT_VALID, NOT_FOUND }

    private final Links links;
    private final Messages messages;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final SubscriptionMarks marks;
    private final EventIngest events;

    public LinkVisits(Links links, Messages messages, ClientDatabases databases, ProfileStore profiles, SubscriptionMarks marks, EventIngest events) {
        this.links = links;
        this.messages = messages;
        this.databases = databases;
        this.profiles = profiles;
        this.marks = marks;
        this.events = events;
    }

    /** An open pixel fetched; false when its token does not check. */
    public boolean opened(String token, String userAgent) {
        Optional<Links.Facts> f = links.verify(Links.OPEN, token);
        f.ifPresent(facts -> record(facts, "message.opened", hit(userAgent, Map.of())));
        return f.isPresent();
    }

    /** A click: recorded when it redirects (a send's link within its lifetime); an expired one is only shown. */
    public Links.Click clicked(String token, String userAgent) {
        Links.Click click = links.verifyClick(token);
        if (click instanceof Links.Click.Redirect(Links.Facts facts)) {
            record(facts, "message.clicked", hit(userAgent, Map.of("url", facts.url())));
        }
        return click;
    }

    /** The email as its recipient got it. */
    public WebView view(String token, String userAgent) {
        Links.Facts f = links.verify(Links.VIEW, token).orElse(null);
        if (f == null || f.messageId() == null || f.version() == null) {
            return new WebView.NotValid();
        }
        Message m = messages.version(f.workspaceId(), f.messageId(), f.version());
        if (m.email() == null) {
            return new WebView.NoWebVersion();
        }
        Map<String, Object> data = recipient(f).map(p -> Messages.profileData(p, Channel.EMAIL)).orElse(Map.of());
        String html = messages.render(m, data, List.of("email"), Map.of(),
                new Links.Context(f.workspaceId(), f.database(), f.profileId(), f.messageId(), f.version(), "email", f.campaign(), f.run()))
                .email().html();
        record(f, "message.viewed_online", hit(userAgent, Map.of()));
        return new WebView.Page(html);
    }

    /** The channel an unsubscribe link is for ({@code null}: any), when its token checks. */
    public Optional<Links.Facts> unsubscribeLink(String token) {
        return links.verify(Links.UNSUBSCRIBE, token);
    }

    /** Unsubscribes the link's recipient in its channel (email when the link names none). */
    public Unsubscribed unsubscribe(String token, String userAgent) {
        Links.Facts f = links.verify(Links.UNSUBSCRIBE, token).orElse(null);
        if (f == null) {
            return Unsubscribed.NOT_VALID;
        }
        Optional<Profile> p = recipient(f);
        if (p.isEmpty() || databases.find(f.database()).isEmpty()) {
            return Unsubscribed.NOT_FOUND;
        }
        Channel channel = f.channel() == null ? Channel.EMAIL : Channel.fromId(f.channel());
        marks.mark(f.database(), p.get().id(), channel, null, Subscription.Status.UNSUBSCRIBED);
        record(f, "message.unsubscribed", hit(userAgent, Map.of()));
        return Unsubscribed.DONE;
    }

    /**
     * What every hit records of who made it: whether a machine did ({@link MachineOpens}) and its
     * device, system and browser ({@link UserAgents}), as the Traffic report and the click map group them.
     */
    private static Map<String, Object> hit(String userAgent, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>(extra);
        p.put("machine", MachineOpens.isMachine(userAgent));
        p.putAll(UserAgents.classify(userAgent).properties());
        return p;
    }

    private Optional<Profile> recipient(Links.Facts f) {
        return f.database() == null || f.profileId() == null ? Optional.empty() : profiles.find(f.database(), f.profileId());
    }

    /** Adds the link's event to the recipient's history (links of previews carry no recipient and record nothing). */
    private void record(Links.Facts f, String type, Map<String, Object> extra) {
        if (f.database() == null || f.profileId() == null) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>(extra);
        if (f.messageId() != null) {
            properties.put("message_id", f.messageId());
            properties.put("message_version", f.version());
        }
        if (f.campaign() != null) {
            properties.put("campaign", f.campaign());
        }
        if (f.run() != null) {
            properties.put("run", f.run());
        }
        EventIngest.Outcome outcome = events.ingest(List.of(new EventInput(f.database(), "id", f.profileId(), type, f.channel(), null, properties)),
                databases::find);
        if (!outcome.rejected().isEmpty()) {
            log.warn("{} of profile {} not recorded: {}", type, f.profileId(), outcome.rejected().get(0).errors());
        }
    }
}
