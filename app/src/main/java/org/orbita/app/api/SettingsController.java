package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orbita.access.PasswordPolicy;
import org.orbita.app.campaigns.ChannelProviders;
import org.orbita.app.security.SecurityPolicies;
import org.orbita.channels.ChannelProvider;
import org.orbita.channels.ProviderSettings;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.sending.MtaNodes;
import org.orbita.sending.SenderDomains;
import org.orbita.settings.WorkspaceDefaults;
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

/**
 * Settings an administrator keeps in the UI or here: channel providers (secrets write-only, each
 * with a test send), sender domains with their DKIM keys and DNS records, the MTA nodes, and the
 * workspace's defaults.
 */
@RestController
@Tag(name = "Settings", description = "Channel providers, sender domains and DKIM, MTA nodes, workspace defaults")
class SettingsController {

    private final ChannelProviders providers;
    private final SenderDomains domains;
    private final MtaNodes nodes;
    private final WorkspaceDefaults defaults;
    private final ApiContext context;
    private final Clock clock;

    private final SecurityPolicies policies;

    SettingsController(ChannelProviders providers, SenderDomains domains, MtaNodes nodes, WorkspaceDefaults defaults, ApiContext context, Clock clock,
                       SecurityPolicies policies) {
        this.policies = policies;
        this.providers = providers;
        this.domains = domains;
        this.nodes = nodes;
        this.defaults = defaults;
        this.context = context;
        this.clock = clock;
    }

    /** {@code receipts}: where the SMS gateways that post delivery reports post them (Infobip is told per message; set SMSC's account to it). */
    record ProvidersView(List<ProviderSettings.Shown> providers, Map<String, String> channels, Map<String, String> receipts) {}

    @GetMapping("/api/v1/settings/providers")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "Each provider kind's settings (secrets only as set or not) and where they come from; each channel's state")
    ProvidersView providers() {
        return new ProvidersView(providers.settings().list(), providers.status(), providers.receiptsUrls());
    }

    @PutMapping("/api/v1/settings/providers/{kind}")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Saves a provider's settings (winning over the configuration file); a secret left out keeps its value, \"\" clears;"
            + " the channel sends through the new provider from its next message")
    ProviderSettings.Shown saveProvider(@PathVariable String kind, @RequestBody Map<String, String> values) {
        return providers.settings().save(ProviderSettings.Kind.fromId(kind), values, clock.instant());
    }

    @DeleteMapping("/api/v1/settings/providers/{kind}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Forgets a provider's saved settings: the configuration file's apply again")
    void removeProvider(@PathVariable String kind) {
        if (!providers.settings().remove(ProviderSettings.Kind.fromId(kind))) {
            throw new NotFoundException("saved settings of", kind);
        }
    }

    record TestRequest(String to) {}

    record TestResult(String result, String detail) {}

    @PostMapping("/api/v1/settings/providers/{kind}/test")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Sends a short test through a provider of this kind made from its settings; says what the service answered")
    TestResult testProvider(@PathVariable String kind, @RequestBody TestRequest request) {
        return switch (providers.test(ProviderSettings.Kind.fromId(kind), request.to())) {
            case ChannelProvider.Result.Accepted a -> new TestResult("accepted", a.id());
            case ChannelProvider.Result.Retry r -> new TestResult("retry", r.reason());
            case ChannelProvider.Result.Failed f -> new TestResult("failed", f.reason());
        };
    }

    record NewDomain(String domain, String selector, String algorithm, String privateKey) {}

    record DomainView(SenderDomains.SenderDomain domain, List<SenderDomains.DnsRecord> records, List<SenderDomains.NodeKey> nodes) {}

    @GetMapping("/api/v1/settings/sender-domains")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's sender domains with their public DKIM keys")
    List<SenderDomains.SenderDomain> senderDomains() {
        return domains.list(context.workspaceId());
    }

    @PostMapping("/api/v1/settings/sender-domains")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Adds a sender domain with a new DKIM key (rsa, the default, or ed25519) or the RSA PKCS#8 PEM key given"
            + " (never shown again); every MTA node gets the key")
    DomainView addSenderDomain(@RequestBody NewDomain request) {
        SenderDomains.SenderDomain d = domains.add(context.workspaceId(), request.domain(), request.selector(), request.algorithm(), request.privateKey());
        return new DomainView(d, domains.records(d), domains.nodeKeys(d));
    }

    @GetMapping("/api/v1/settings/sender-domains/{domain}")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "A sender domain: the DNS records to publish and whether each MTA node signs with its key")
    DomainView senderDomain(@PathVariable String domain) {
        SenderDomains.SenderDomain d = domains.get(context.workspaceId(), domain);
        return new DomainView(d, domains.records(d), domains.nodeKeys(d));
    }

    @PostMapping("/api/v1/settings/sender-domains/{domain}/check")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "Looks the domain's DKIM, SPF and DMARC records up in DNS: ok, missing, different or unanswered, with a hint")
    List<SenderDomains.RecordCheck> checkSenderDomain(@PathVariable String domain) {
        return domains.check(domains.get(context.workspaceId(), domain));
    }

    @PostMapping("/api/v1/settings/sender-domains/{domain}/give-keys")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Gives every reachable MTA node the sender domains' keys it lacks (a node added or restored later)")
    List<SenderDomains.NodeKey> giveKeys(@PathVariable String domain) {
        SenderDomains.SenderDomain d = domains.get(context.workspaceId(), domain);
        domains.giveKeysToNodes();
        return domains.nodeKeys(d);
    }

    @DeleteMapping("/api/v1/settings/sender-domains/{domain}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Removes a sender domain and its key, here and on the MTA nodes")
    void removeSenderDomain(@PathVariable String domain) {
        domains.remove(context.workspaceId(), domain);
    }

    record NodeView(String name, String url, boolean reachable, String detail, int queues, int dkimKeys) {}

    @GetMapping("/api/v1/settings/mta-nodes")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The MTA nodes this platform knows, whether each answers, its queues and DKIM keys (tokens never shown)")
    List<NodeView> mtaNodes() {
        List<NodeView> out = new ArrayList<>();
        for (MtaNodes.Node n : nodes.nodes()) {
            try {
                out.add(new NodeView(n.name(), n.url(), true, null, nodes.queues(n).size(), nodes.dkimKeys(n).size()));
            } catch (IllegalStateException e) {
                out.add(new NodeView(n.name(), n.url(), false, e.getMessage(), 0, 0));
            }
        }
        return out;
    }

    record MailTest(String from, String to) {}

    @PostMapping("/api/v1/settings/mta-nodes/{name}/test")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Hands the node a plain test mail; its id, then GET …/messages/{id} for what became of it")
    Map<String, Object> testNode(@PathVariable String name, @RequestBody MailTest request) {
        MtaNodes.Node node = nodes.node(name);
        String id = nodes.sendTest(node, request.from(), request.to(), "Orbita: a test from " + node.name(),
                "This mail was sent from Orbita's settings to try the mail sender node " + node.name() + ".");
        return Map.of("node", node.name(), "id", id);
    }

    @GetMapping("/api/v1/settings/mta-nodes/{name}/messages/{id}")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "What the node says of a message it was given: each recipient's state and the receiver's last reply")
    Map<String, Object> nodeMessage(@PathVariable String name, @PathVariable String id) {
        return nodes.message(nodes.node(name), id);
    }

    record DefaultsRequest(String timeZone, String quietFrom, String quietTo, String trackingUrl) {}

    record SecurityRequest(Boolean requireTwoFactor, PasswordPolicy password) {}

    @GetMapping("/api/v1/settings/security")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's sign-in rules: whether two-factor sign-in is required of its members, and the password rules")
    SecurityPolicies.Policy security() {
        return policies.get(context.workspaceId());
    }

    @PutMapping("/api/v1/settings/security")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Saves the sign-in rules; members without two-factor sign-in are then sent to set it up before any page."
            + " password: {minLength 8-64, classes 1-4, history 0-24, expiryDays 0-3650 (0: never), refuseCommon}; absent keeps the rules")
    SecurityPolicies.Policy saveSecurity(@RequestBody SecurityRequest request) {
        if (request.requireTwoFactor() == null) {
            throw new InvalidInputException("requireTwoFactor", null, "is required: true or false");
        }
        return policies.save(context.workspaceId(), request.requireTwoFactor(), request.password());
    }

    @GetMapping("/api/v1/settings/workspace")
    @PreAuthorize("hasAuthority('SCOPE_settings:read')")
    @Operation(summary = "The workspace's defaults: time zone, quiet hours for new campaigns, the public address of its tracking links")
    WorkspaceDefaults.Defaults workspaceDefaults() {
        return defaults.get(context.workspaceId());
    }

    @PutMapping("/api/v1/settings/workspace")
    @PreAuthorize("hasAuthority('SCOPE_settings:write')")
    @Operation(summary = "Saves the workspace's defaults (times as HH:mm); empty values clear them")
    WorkspaceDefaults.Defaults saveWorkspaceDefaults(@RequestBody DefaultsRequest request) {
        return defaults.save(context.workspaceId(), request.timeZone(), time("quietFrom", request.quietFrom()), time("quietTo", request.quietTo()),
                request.trackingUrl(), clock.instant());
    }

    private static LocalTime time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, value, "must be a time of day as HH:mm, such as 21:00");
        }
    }
}
