package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.orbita.app.campaigns.ChannelProviders;
import org.orbita.channels.InboxProvider;
import org.orbita.common.NotFoundException;
import org.orbita.common.InvalidInputException;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ProfileStore;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inbox", description = "The in-app inbox a client app or a personal account page shows: messages sent in the inapp channel")
class InboxController {

    private final ChannelProviders providers;
    private final ProfileStore profiles;
    private final ApiContext context;

    InboxController(ChannelProviders providers, ProfileStore profiles, ApiContext context) {
        this.providers = providers;
        this.profiles = profiles;
        this.context = context;
    }

    @GetMapping("/api/v1/databases/{db}/profiles/{id}/inbox")
    @PreAuthorize("hasAuthority('SCOPE_inbox:read')")
    @Operation(summary = "The profile's inbox, newest first: id, campaign, title, body, image, link (tracked), actions, sent, read")
    Map<String, Object> inbox(@PathVariable String db, @PathVariable String id, @RequestParam(defaultValue = "50") int limit,
                              @RequestParam(defaultValue = "false") boolean unread) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", limit, "must be between 1 and 500");
        }
        ClientDatabase d = profile(db, id);
        List<InboxProvider.Item> items = providers.inbox().inbox(d.id(), id, limit, unread);
        long unreadCount = unread ? items.size() : items.stream().filter(i -> !i.read()).count();
        return Map.of("messages", items, "unread", unreadCount);
    }

    @PostMapping("/api/v1/databases/{db}/profiles/{id}/inbox/{message}/read")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_inbox:write')")
    @Operation(summary = "Mark a message read (counted as the campaign's open)")
    void read(@PathVariable String db, @PathVariable String id, @PathVariable String message) {
        if (!providers.inbox().read(profile(db, id).id(), id, message)) {
            throw new NotFoundException("inbox message", message);
        }
    }

    @DeleteMapping("/api/v1/databases/{db}/profiles/{id}/inbox/{message}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_inbox:write')")
    @Operation(summary = "Remove a message from the inbox")
    void remove(@PathVariable String db, @PathVariable String id, @PathVariable String message) {
        if (!providers.inbox().remove(profile(db, id).id(), id, message)) {
            throw new NotFoundException("inbox message", message);
        }
    }

    @GetMapping("/api/v1/channels")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    @Operation(summary = "The channels campaigns can send in here, and the VAPID public key web push subscriptions are made with")
    Map<String, Object> channels() {
        return Map.of("channels", providers.channels(), "webpushPublicKey", providers.vapidPublicKey());
    }

    /** The VAPID key, public: a site's page needs it to subscribe a browser (no API key in the page). */
    @GetMapping("/t/webpush/key")
    Map<String, String> webpushKey() {
        return Map.of("publicKey", providers.vapidPublicKey());
    }

    private ClientDatabase profile(String db, String id) {
        ClientDatabase d = context.database(db);
        if (profiles.find(d.id(), id).isEmpty()) {
            throw new NotFoundException("profile", id);
        }
        return d;
    }
}
