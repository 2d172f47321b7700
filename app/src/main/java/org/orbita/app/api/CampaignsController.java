package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.campaigns.AbTestStats;
import org.orbita.campaigns.Campaign;
import org.orbita.campaigns.CampaignStats;
import org.orbita.campaigns.Campaigns;
import org.orbita.campaigns.LaunchCheck;
import org.orbita.campaigns.TriggerCampaigns;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.jobs.JobRunner;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.Profile;
import org.orbita.sending.SendLedger;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Campaigns", description = "One-time sends of a message to segments, with a send ledger per run")
class CampaignsController {

    private final Campaigns campaigns;
    private final SendLedger ledger;
    private final Jobs jobs;
    private final JobRunner runner;
    private final ApiContext context;

    private final EventLog events;
    private final Messages messages;
    private final TriggerCampaigns triggers;
    private final LaunchCheck launchCheck;

    CampaignsController(Campaigns campaigns, SendLedger ledger, Jobs jobs, JobRunner runner, ApiContext context, EventLog events,
                        Messages messages, TriggerCampaigns triggers, LaunchCheck launchCheck) {
        this.launchCheck = launchCheck;
        this.triggers = triggers;
        this.events = events;
        this.messages = messages;
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.jobs = jobs;
        this.runner = runner;
        this.context = context;
    }

    @PostMapping("/api/v1/campaigns")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Create a draft; every field that is wrong is named (segments, message, its channel variants)")
    Campaign create(@RequestBody Campaign draft) {
        return campaigns.create(context.workspaceId(), draft);
    }

    @PutMapping("/api/v1/campaigns/{id}")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Change a draft or scheduled campaign (it becomes a draft again)")
    Campaign update(@PathVariable String id, @RequestBody Campaign draft) {
        return campaigns.update(context.workspaceId(), id, draft);
    }

    @GetMapping("/api/v1/campaigns")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    List<Campaign> list() {
        return campaigns.list(context.workspaceId());
    }

    @GetMapping("/api/v1/campaigns/calendar")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    @Operation(summary = "The send calendar: runs that started and sends to come (scheduled one-time campaigns, regular campaigns' cron times)"
            + " between from and to (ISO-8601 instants, at most a year apart)")
    List<Campaigns.CalendarEntry> calendar(@RequestParam String from, @RequestParam String to) {
        return campaigns.calendar(context.workspaceId(), instant("from", from), instant("to", to));
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, value, "an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    @GetMapping("/api/v1/campaigns/{id}")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    Campaign get(@PathVariable String id) {
        return campaigns.get(context.workspaceId(), id);
    }

    @DeleteMapping("/api/v1/campaigns/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    void delete(@PathVariable String id) {
        if (!campaigns.delete(context.workspaceId(), id)) {
            throw new NotFoundException("campaign", id);
        }
    }

    @GetMapping("/api/v1/campaigns/{id}/launch-check")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    @Operation(summary = "What a launch would do, before it starts: the audience, how many each channel reaches, how many nobody reaches"
            + " and why, and warnings (a channel without a provider, no mail sender reading the email queue, an empty audience)")
    Map<String, Object> launchCheck(@PathVariable String id) {
        LaunchCheck.Summary s = launchCheck.check(campaigns.get(context.workspaceId(), id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profiles", s.profiles());
        out.put("examined", s.examined());
        out.put("estimated", s.estimated());
        out.put("reachable", s.reachable());
        out.put("skipped", s.skipped());
        out.put("warnings", s.warnings().stream().map(LaunchCheck.Warning::text).toList());
        return out;
    }

    @PostMapping("/api/v1/campaigns/{id}/launch")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Send now, or schedule when sendAt is ahead; a failed campaign resumes its run")
    Campaigns.Launch launch(@PathVariable String id) {
        Campaigns.Launch l = campaigns.launch(context.workspaceId(), id);
        if (l.job() != null) {
            runner.submit(l.job());
        }
        return l;
    }

    record TriggerRequest(String profile, String matchBy, Map<String, Object> data, String idempotencyKey) {}

    @PostMapping("/api/v1/campaigns/{id}/trigger")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Start a live trigger campaign for one profile from the API: the campaign's audience and caps apply; data is `event` in"
            + " templates; the same idempotencyKey never sends twice")
    Map<String, Object> trigger(@PathVariable String id, @RequestBody TriggerRequest request) {
        Campaign c = campaigns.get(context.workspaceId(), id);
        ApiContext.requireProfileAndKey("", request.profile(), request.idempotencyKey());
        Profile p = context.profile(context.database(c.database()), request.matchBy(), request.profile());
        Optional<String> run = triggers.fire(c, p, request.data(), request.idempotencyKey());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profile", p.id());
        out.put("sent", run.isPresent());
        run.ifPresent(r -> {
            out.put("run", r);
            out.put("ledger", ledger.countByState(r));
        });
        if (run.isEmpty()) {
            out.put("reason", "the profile is not in the campaign's audience");
        }
        return out;
    }

    @PostMapping("/api/v1/campaigns/{id}/approve")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:approve')")
    @Operation(summary = "Approve a campaign as it stands (needed before a send to orbita.campaigns.approval-threshold profiles or more);"
            + " any later change needs a new approval")
    Campaigns.Approval approve(@PathVariable String id) {
        return campaigns.approve(context.workspaceId(), id, "key " + context.principal().keyId());
    }

    @PostMapping("/api/v1/campaigns/{id}/cancel")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:write')")
    @Operation(summary = "Unschedule (back to draft), or stop a send after its current page")
    Campaign cancel(@PathVariable String id) {
        return campaigns.cancel(context.workspaceId(), id);
    }

    @GetMapping("/api/v1/campaigns/{id}/report")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    @Operation(summary = "The current run (its job's progress, the ledger's entries per state: queued, skipped, failed, pending) and the"
            + " campaign's figures: sent, delivered, bounced, opened and clicked (total, unique, by machines), unsubscribed")
    Map<String, Object> report(@PathVariable String id) {
        Campaign c = campaigns.get(context.workspaceId(), id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", c.id());
        out.put("status", c.status().id());
        out.put("run", c.runId());
        if (c.runId() != null) {
            out.put("job", jobs.find(c.runId()).orElse(null));
            out.put("ledger", ledger.countByState(c.runId()));
        }
        out.put("stats", CampaignStats.of(events, c));
        out.put("byChannel", CampaignStats.byChannel(events, c));
        campaigns.approval(context.workspaceId(), id).ifPresent(a -> out.put("approval", a));
        if (c.abTest() != null) {
            Map<String, Message> variants = new LinkedHashMap<>();
            c.abTest().variants().forEach(v -> messages.find(c.workspaceId(), v.messageId()).ifPresent(m -> variants.put(v.name(), m)));
            Map<String, Object> ab = new LinkedHashMap<>();
            ab.put("standing", AbTestStats.of(events, c, variants));
            jobs.find(c.runId() == null ? "" : c.runId()).map(j -> j.result().get("winner")).ifPresent(w -> ab.put("winner", w));
            out.put("abTest", ab);
        }
        return out;
    }

    @GetMapping("/api/v1/campaigns/{id}/ledger")
    @PreAuthorize("hasAuthority('SCOPE_campaigns:read')")
    @Operation(summary = "The current run's ledger, a page at a time in profile order (after = the last key seen)")
    List<SendLedger.Entry> ledger(@PathVariable String id, @RequestParam(required = false) String after,
                                  @RequestParam(defaultValue = "100") int limit) {
        Campaign c = campaigns.get(context.workspaceId(), id);
        if (c.runId() == null) {
            return List.of();
        }
        return ledger.entries(c.runId(), after, Math.max(1, Math.min(limit, 1000)));
    }
}
