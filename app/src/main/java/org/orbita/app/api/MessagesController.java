package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbita.audiences.Segments;
import org.orbita.campaigns.Campaigns;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.content.SmsCount;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.sending.DirectSends;
import org.orbita.sending.MessageTests;
import org.orbita.sending.SendChannel;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Messages", description = "Messages with a variant per channel (email, SMS, push, Telegram, webhook), rendered per recipient")
class MessagesController {

    private final Messages messages;
    private final ProfileStore profiles;
    private final Segments segments;
    private final ApiContext context;

    private final DirectSends sender;
    private final Campaigns campaigns;
    private final MessageTests tests;

    private final org.orbita.market.Markets market;
    private final org.orbita.market.ShopActivity shopActivity;

    MessagesController(Messages messages, ProfileStore profiles, Segments segments, ApiContext context,
                       DirectSends sender, Campaigns campaigns, MessageTests tests, org.orbita.market.Markets market,
                       org.orbita.market.ShopActivity shopActivity) {
        this.market = market;
        this.shopActivity = shopActivity;
        this.tests = tests;
        this.sender = sender;
        this.campaigns = campaigns;
        this.messages = messages;
        this.profiles = profiles;
        this.segments = segments;
        this.context = context;
    }

    @PostMapping("/api/v1/messages")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    @Operation(summary = "Create a message; every template must parse and each variant follow its channel's rules")
    Message create(@RequestBody Message draft) {
        return messages.create(context.workspaceId(), draft);
    }

    @PutMapping("/api/v1/messages/{id}")
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    @Operation(summary = "Save a new version of a message")
    Message update(@PathVariable String id, @RequestBody Message draft) {
        return messages.update(context.workspaceId(), id, draft);
    }

    @GetMapping("/api/v1/messages")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    List<Message> list() {
        return messages.list(context.workspaceId());
    }

    @GetMapping("/api/v1/messages/{id}")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    Message get(@PathVariable String id) {
        return messages.get(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/messages/{id}/versions")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    List<Message> versions(@PathVariable String id) {
        return messages.versions(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/messages/{id}/snippets")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "The snippets a message renders, directly or through other snippets")
    Set<String> snippets(@PathVariable String id) {
        return messages.snippetsUsed(messages.get(context.workspaceId(), id));
    }

    @DeleteMapping("/api/v1/messages/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    void delete(@PathVariable String id) {
        if (!messages.delete(context.workspaceId(), id)) {
            throw new NotFoundException("message", id);
        }
    }

    /**
     * Whom to render for and with what. {@code profile} is a profile id or a value of a unique
     * field ({@code matchBy} names which, else any) in {@code database}; without a profile the
     * message renders with {@code data} alone. {@code event}, {@code data}, {@code campaign},
     * {@code journey} and {@code promo} are what templates see under those names; {@code data.order_id}
     * (or an {@code order.*} event's {@code order}) gives templates that order as {@code order}; a profile's cart is
     * {@code cart}.
     */
    record RenderRequest(String database, String profile, String matchBy, List<String> channels, Map<String, Object> event,
                         Map<String, Object> data, Map<String, Object> campaign, Map<String, Object> journey, Map<String, Object> promo,
                         Map<String, String> snippets, Long version) {}

    @PostMapping("/api/v1/messages/{id}/render")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "Render a message's variants for a profile and data; 400 names each field that fails (line and column)")
    RenderedMessage render(@PathVariable String id, @RequestBody RenderRequest request) {
        String workspaceId = context.workspaceId();
        Message m = request.version() == null ? messages.get(workspaceId, id) : messages.version(workspaceId, id, request.version());
        Map<String, Object> data = new LinkedHashMap<>();
        String profileId = null;
        String databaseId = null;
        if (request.profile() != null && !request.profile().isBlank()) {
            if (request.database() == null) {
                throw new InvalidInputException("database", null, "is required to find the profile");
            }
            ClientDatabase db = context.database(request.database());
            Profile p = profile(db, request.matchBy(), request.profile());
            List<String> channels = request.channels() == null ? List.of() : request.channels();
            Channel channel = channels.size() == 1 ? Messages.channelOf(channels.get(0)) : null;
            data.putAll(Messages.profileData(p, channel));
            profileId = p.id();
            databaseId = db.id();
        }
        putIfGiven(data, "event", request.event());
        putIfGiven(data, "data", request.data());
        putIfGiven(data, "campaign", request.campaign());
        putIfGiven(data, "journey", request.journey());
        putIfGiven(data, "promo", request.promo());
        // an order named as a send would name it (data.order_id, or an order event's order): what the send will see as order
        Object orderId = request.data() != null && request.data().get("order_id") != null ? request.data().get("order_id")
                : request.event() != null && String.valueOf(request.event().get("type")).startsWith("order.") ? request.event().get("order") : null;
        if (orderId != null) {
            market.order(workspaceId, String.valueOf(orderId)).ifPresent(o -> data.put("order", market.templateOrder(workspaceId, o.id())));
        }
        if (profileId != null && m.usesCart()) {
            Map<String, Object> cart = shopActivity.templateCart(workspaceId, databaseId, profileId);
            if (cart != null) {
                data.put("cart", cart);
            }
        }
        Links.Context link = new Links.Context(workspaceId, databaseId, profileId, m.id(), m.version(), null);
        return messages.render(m, data, request.channels(), request.snippets(), link);
    }


    /** A transactional send: to whom (a profile by id or a unique value), in which channels, with what data, under which key. */
    record SendRequest(String database, String profile, String matchBy, List<String> channels, Map<String, Object> data, String idempotencyKey) {}

    @PostMapping("/api/v1/messages/{id}/send")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Send a message now to one profile (transactional): rendered and queued before the reply; the same idempotencyKey never sends twice")
    Map<String, Object> send(@PathVariable String id, @RequestBody SendRequest request) {
        String workspaceId = context.workspaceId();
        Message m = messages.get(workspaceId, id);
        List<FieldError> errors = new ArrayList<>();
        if (request.database() == null || request.database().isBlank()) {
            errors.add(FieldError.of("database", null, "is required"));
        }
        if (request.profile() == null || request.profile().isBlank()) {
            errors.add(FieldError.of("profile", null, "is required: the profile's id or a unique value (see matchBy)"));
        }
        List<String> channels = request.channels() == null || request.channels().isEmpty() ? m.channels() : request.channels();
        for (int i = 0; i < channels.size(); i++) {
            if (!m.channels().contains(channels.get(i)) || !campaigns.channels().contains(channels.get(i))) {
                errors.add(FieldError.of("channels[" + i + "]", channels.get(i),
                        "must be a channel of the message " + m.channels() + " with a provider here " + campaigns.channels()));
            }
        }
        if (request.idempotencyKey() != null && !request.idempotencyKey().matches("[A-Za-z0-9._:-]{1,100}")) {
            errors.add(FieldError.of("idempotencyKey", request.idempotencyKey(), "1 to 100 letters, digits, '.', '_', ':' or '-'"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        ClientDatabase db = context.database(request.database());
        Profile p = profile(db, request.matchBy(), request.profile());
        var results = sender.transactional(workspaceId, db.id(), m, p, channels.stream().map(SendChannel::fromId).toList(),
                request.data() == null ? Map.of() : request.data(),
                request.idempotencyKey());
        return Map.of("profile", p.id(), "results", results);
    }

    record TestRequest(String database, String profile, Map<String, String> to) {}

    @PostMapping("/api/v1/messages/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_content:write')")
    @Operation(summary = "Sends a test of the message: each channel in \"to\" to the address given for it, rendered with a profile's data"
            + " (database and profile, optional); never in a history or a figure. Then GET /messages/tests/{test} for the outcome")
    Map<String, Object> test(@PathVariable String id, @RequestBody TestRequest request) {
        String workspaceId = context.workspaceId();
        Message m = messages.get(workspaceId, id);
        ClientDatabase db = request.database() == null || request.database().isBlank() ? null : context.database(request.database());
        Profile p = db == null || request.profile() == null || request.profile().isBlank() ? null : profile(db, null, request.profile());
        String test = tests.send(workspaceId, db == null ? null : db.id(), m, p, request.to());
        return Map.of("test", test, "outcomes", tests.outcomes(workspaceId, test));
    }

    @GetMapping("/api/v1/messages/tests/{test}")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "What became of each channel of a test: queued, delivered (the provider or the receiving server took it) or failed, with what was said")
    List<MessageTests.Outcome> testOutcome(@PathVariable String test) {
        return tests.outcomes(context.workspaceId(), test);
    }

    private Profile profile(ClientDatabase db, String matchBy, String value) {
        return context.profile(db, matchBy, value);
    }

    private static void putIfGiven(Map<String, Object> data, String name, Map<String, Object> value) {
        if (value != null) {
            data.put(name, value);
        }
    }

    record SmsText(String text) {}

    @PostMapping("/api/v1/sms/count")
    @PreAuthorize("hasAuthority('SCOPE_content:read')")
    @Operation(summary = "How an SMS text travels: GSM-7 or UCS-2, characters, units, parts and what is left in the last part")
    SmsCount count(@RequestBody SmsText request) {
        return SmsCount.of(request.text());
    }
}
