package org.orbita.app.tracking;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.events.EventIngest;
import org.orbita.events.EventInput;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The links messages carry, answered for anyone holding one: a click is recorded and
 * redirected, "view in browser" renders the email as that recipient got it, unsubscribe asks
 * and then unsubscribes (GET never changes anything: mail scanners follow links; a POST,
 * including RFC 8058's one-click, does). A link whose signature does not check is a 404.
 */
@RestController
class TrackingController {

    private static final Logger log = LoggerFactory.getLogger(TrackingController.class);

    private final Links links;
    private final Messages messages;
    private final ClientDatabases databases;
    private final ProfileStore profiles;
    private final ProfileWriting writing;
    private final EventIngest events;

    TrackingController(Links links, Messages messages, ClientDatabases databases, ProfileStore profiles, ProfileWriting writing, EventIngest events) {
        this.links = links;
        this.messages = messages;
        this.databases = databases;
        this.profiles = profiles;
        this.writing = writing;
        this.events = events;
    }

    /** A transparent 1×1 GIF. */
    private static final byte[] PIXEL = java.util.Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    @GetMapping("/t/o/{token}")
    ResponseEntity<byte[]> open(@PathVariable String token, @org.springframework.web.bind.annotation.RequestHeader(value = HttpHeaders.USER_AGENT,
            required = false) String userAgent) {
        Links.Facts f = links.verify(Links.OPEN, token).orElse(null);
        if (f == null) {
            return ResponseEntity.notFound().build();
        }
        record(f, "message.opened", Map.of("machine", MachineOpens.isMachine(userAgent)));
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).header(HttpHeaders.CACHE_CONTROL, "no-store, no-cache, must-revalidate")
                .body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    ResponseEntity<Void> click(@PathVariable String token, @org.springframework.web.bind.annotation.RequestHeader(value = HttpHeaders.USER_AGENT,
            required = false) String userAgent) {
        Links.Facts f = links.verify(Links.CLICK, token).orElse(null);
        if (f == null) {
            return ResponseEntity.notFound().build();
        }
        record(f, "message.clicked", Map.of("url", f.url(), "machine", MachineOpens.isMachine(userAgent)));
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(f.url())).build();
    }

    @GetMapping(value = "/t/v/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> view(@PathVariable String token) {
        Links.Facts f = links.verify(Links.VIEW, token).orElse(null);
        if (f == null || f.messageId() == null || f.version() == null) {
            return page(HttpStatus.NOT_FOUND, "This link is not valid.");
        }
        Message m = messages.version(f.workspaceId(), f.messageId(), f.version());
        if (m.email() == null) {
            return page(HttpStatus.NOT_FOUND, "This message has no web version.");
        }
        Map<String, Object> data = recipient(f).map(p -> Messages.profileData(p, Channel.EMAIL)).orElse(Map.of());
        RenderedMessage r = messages.render(m, data, List.of("email"), Map.of(),
                new Links.Context(f.workspaceId(), f.database(), f.profileId(), f.messageId(), f.version(), "email", f.campaign()));
        record(f, "message.viewed_online", Map.of());
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(r.email().html());
    }

    @GetMapping(value = "/t/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribePage(@PathVariable String token) {
        Links.Facts f = links.verify(Links.UNSUBSCRIBE, token).orElse(null);
        if (f == null) {
            return page(HttpStatus.NOT_FOUND, "This link is not valid.");
        }
        String what = f.channel() == null ? "these messages" : HtmlUtils.htmlEscape(f.channel()) + " messages";
        return page(HttpStatus.OK, "<p>Stop receiving " + what + "?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    @PostMapping(value = "/t/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribe(@PathVariable String token) {
        Links.Facts f = links.verify(Links.UNSUBSCRIBE, token).orElse(null);
        if (f == null) {
            return page(HttpStatus.NOT_FOUND, "This link is not valid.");
        }
        Optional<Profile> p = recipient(f);
        ClientDatabase db = f.database() == null ? null : databases.find(f.database()).orElse(null);
        if (p.isEmpty() || db == null) {
            return page(HttpStatus.NOT_FOUND, "We could not find your subscription.");
        }
        Channel channel = f.channel() == null ? Channel.EMAIL : Channel.fromId(f.channel());
        List<ProfileChange.SubscriptionInput> off = p.get().subscriptions().stream()
                .filter(s -> s.channel() == channel && s.status() == Subscription.Status.ACTIVE)
                .map(s -> new ProfileChange.SubscriptionInput(s.channel().id(), s.address(), s.resource(), Subscription.Status.UNSUBSCRIBED.id()))
                .toList();
        if (!off.isEmpty()) {
            writing.write(db, new ProfileChange("id", p.get().id(), null, off, null, null), WriteMode.UPDATE);
        }
        record(f, "message.unsubscribed", Map.of());
        return page(HttpStatus.OK, "<p>You are unsubscribed.</p>");
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
        EventIngest.Outcome outcome = events.ingest(List.of(new EventInput(f.database(), "id", f.profileId(), type, f.channel(), null, properties)),
                databases::find);
        if (!outcome.rejected().isEmpty()) {
            log.warn("{} of profile {} not recorded: {}", type, f.profileId(), outcome.rejected().get(0).errors());
        }
    }

    private static ResponseEntity<String> page(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                        + "<title>Orbita</title></head><body style=\"font-family:sans-serif;max-width:30em;margin:4em auto\">" + body + "</body></html>");
    }
}
