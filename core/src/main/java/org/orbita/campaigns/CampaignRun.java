package org.orbita.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.events.EventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.ProfileStore;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendLedger;
import org.orbita.sending.SendPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a campaign (the {@code campaign} job): the audience a page at a time in profile id order
 * through {@link CampaignPages} (the next page renders while this thread publishes the one
 * before), then the page's last id becomes the job's cursor. Profiles held back (quiet hours,
 * local time, a send-time variant, an A/B winner) go out when their time comes; an A/B test's
 * winner is chosen when its wait is over. A run that restarts (crash, stop) reads the same pages
 * again: queued entries are left alone, pending ones published again with the same key — the
 * receivers drop a key they have — so nobody is sent twice and nobody skipped.
 */
public final class CampaignRun {

    public static final String KIND = "campaign";

    private static final Logger log = LoggerFactory.getLogger(CampaignRun.class);
    private static final int PAGE = 500;

    private final Campaigns campaigns;
    private final Messages messages;
    private final SegmentMembers members;
    private final SendPipeline pipeline;
    private final EventLog events;
    private final Jobs jobs;
    private final CampaignPages pages;

    public CampaignRun(Campaigns campaigns, Messages messages, ProfileStore profiles, SegmentMembers members, SendPipeline pipeline, EventLog events,
                       Jobs jobs) {
        this.campaigns = campaigns;
        this.messages = messages;
        this.members = members;
        this.pipeline = pipeline;
        this.events = events;
        this.jobs = jobs;
        this.pages = new CampaignPages(profiles, pipeline);
    }

    private SendLedger ledger() {
        return pipeline.ledger();
    }

    private Instant now() {
        return jobs.clock().instant();
    }

    /** Runs or resumes a campaign's run. */
    public Job run(String jobId) {
        Job job = jobs.save(jobs.get(jobId).running(now()));
        String campaignId = String.valueOf(job.params().get("campaignId"));
        Optional<Campaign> found = campaigns.find(job.workspaceId(), campaignId);
        if (found.isEmpty()) {
            return jobs.save(job.failedWith("campaign " + campaignId + " no longer exists", now()));
        }
        Campaign c = found.get();
        Map<String, Object> result = new LinkedHashMap<>(job.result());
        Message message;
        Map<String, Message> variants = new LinkedHashMap<>();
        try {
            message = messagesOf(c, result, variants);
        } catch (RuntimeException e) {
            campaigns.finished(c, Campaign.Status.FAILED);
            return jobs.save(job.failedWith("message of campaign " + c.id() + ": " + e.getMessage(), now()));
        }
        result.put("campaignId", c.id());
        if (c.abTest() != null && !result.containsKey("testStart")) {
            // in whole milliseconds, as the ledger keeps due times: the decision and the due entries see the same moment
            result.put("testStart", now().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        Instant testStart = result.containsKey("testStart") ? Instant.parse((String) result.get("testStart")) : null;
        if (c.abTest() != null && c.abTest().testPercent() < 100 && !result.containsKey("decideAt")) {
            result.put("decideAt", testStart.plus(Duration.ofMinutes((long) c.abTest().longestDelay() + c.abTest().waitMinutes())).toString());
        }
        Instant decideAt = result.containsKey("decideAt") ? Instant.parse((String) result.get("decideAt")) : null;
        AbChooser chooser = new AbChooser(c, message, variants, testStart, decideAt, () -> (String) result.get("winner"));
        if (c.observers() != null && !result.containsKey("observers")) {
            try {
                result.put("observers", pages.sendToObservers(job.id(), c, c.abTest() == null ? Map.of("", message) : variants));
            } catch (RuntimeException e) {
                log.error("campaign {} run {}: the observers' copies", c.id(), job.id(), e);
                campaigns.finished(c, Campaign.Status.FAILED);
                return jobs.save(job.failedWith("observers' copies: " + e.getMessage() + " (launch the campaign again to resume)", now()));
            }
        }
        SendPace pace = new SendPace(c.limits() == null ? null : c.limits().rate(), c.limits() == null ? null : c.limits().warmup(),
                job.started() == null ? now() : job.started(), result.get("pace"));
        boolean cancelled;
        try {
            Progress p = audience(job, c, chooser, pace, result);
            job = p.job();
            cancelled = p.cancelled() || held(p.job(), c, chooser, variants, pace, result, decideAt);
            job = jobs.get(job.id());
        } catch (RuntimeException e) {
            // the queue or a store failed: the run stops here; launching the campaign again resumes it
            log.error("campaign {} run {} stopped", c.id(), job.id(), e);
            campaigns.finished(c, Campaign.Status.FAILED);
            Job now = jobs.get(job.id());
            return jobs.save(now.failedWith("stopped after " + now.processed() + " profiles: " + e.getMessage()
                    + " (launch the campaign again to resume)", now()));
        }
        result.remove("cursor");
        result.put("ledger", ledger().countByState(job.id()));
        result.put("cancelled", cancelled);
        if (!cancelled) {
            campaigns.finished(c, Campaign.Status.SENT);
        }
        log.info("campaign {} run {}: {}", c.id(), job.id(), result.get("ledger"));
        return jobs.save(cancelled ? job.cancelled(result, now()) : job.succeeded(result, now()));
    }

    /** The message(s) as they were when the run started, also after a restart (their versions are kept in the job). */
    private Message messagesOf(Campaign c, Map<String, Object> result, Map<String, Message> variants) {
        if (c.abTest() == null) {
            Object version = result.get("messageVersion");
            Message message = version == null ? messages.get(c.workspaceId(), c.messageId())
                    : messages.version(c.workspaceId(), c.messageId(), ((Number) version).longValue());
            result.put("messageVersion", message.version());
            return message;
        }
        Map<String, Object> versions = new LinkedHashMap<>();
        Object kept = result.get("variantVersions");
        for (Campaign.Variant v : c.abTest().variants()) {
            Object version = kept instanceof Map<?, ?> k ? k.get(v.name()) : null;
            Message m = version == null ? messages.get(c.workspaceId(), v.messageId())
                    : messages.version(c.workspaceId(), v.messageId(), ((Number) version).longValue());
            variants.put(v.name(), m);
            versions.put(v.name(), m.version());
        }
        result.put("variantVersions", versions);
        return variants.values().iterator().next();
    }

    private record Progress(Job job, boolean cancelled) {}

    /** Whether the campaign was cancelled, or its run's job (which cancels the campaign too). */
    private boolean cancelled(Campaign c, Job job) {
        Optional<Campaign> now = campaigns.find(c.workspaceId(), c.id());
        if (now.isPresent() && now.get().status() == Campaign.Status.SENDING && jobs.cancelRequested(job.id())) {
            campaigns.cancel(c.workspaceId(), c.id());
            return true;
        }
        return now.map(n -> n.status() == Campaign.Status.CANCELLED).orElse(true);
    }

    /** How many profiles the pace lets a page have (a page of {@value #PAGE} at most). */
    private static int pageSize(Campaign c, int allowed) {
        return Math.min(PAGE, Math.max(1, allowed / Math.max(1, c.channels().size())));
    }

    /** The audience, page after page; an unpaced run renders the next page while it publishes the one before. */
    private Progress audience(Job job, Campaign c, AbChooser chooser, SendPace pace, Map<String, Object> result) {
        Audience audience = new Audience(members, c.database(), c.segments(), c.excludeSegments());
        boolean paced = c.limits() != null && (c.limits().rate() != null || c.limits().warmup() != null);
        String cursor = (String) result.get("cursor");
        Page inFlight = null;
        while (true) {
            if (cancelled(c, job)) {
                return new Progress(job, true);
            }
            int allowed = pace.allowed(now());
            if (allowed == 0) {
                pace.waitForRoom(now());
                continue;
            }
            List<String> ids = audience.next(cursor, pageSize(c, allowed));
            if (ids.isEmpty()) {
                break;
            }
            cursor = ids.get(ids.size() - 1); // where the next page starts; the job's checkpoint moves only with finished pages
            Page next = new Page(ids, pages.start(job.id(), c, chooser, ids));
            if (inFlight != null) {
                job = finished(job, inFlight, pace, result);
            }
            inFlight = next;
            if (paced) {
                job = finished(job, inFlight, pace, result);
                inFlight = null;
            }
        }
        if (inFlight != null) {
            job = finished(job, inFlight, pace, result);
        }
        return new Progress(job, false);
    }

    private record Page(List<String> ids, SendPipeline.Batch batch) {}

    /** A page finished: published, marked, counted, and the run's job saved with the page's last profile as its cursor. */
    private Job finished(Job job, Page page, SendPace pace, Map<String, Object> result) {
        SendPipeline.Result r = pipeline.publish(page.batch());
        pace.sent(now(), r.queued());
        result.put("pace", pace.state());
        result.put("cursor", page.ids().get(page.ids().size() - 1));
        return jobs.save(job.progressed(job.processed() + page.ids().size(), job.succeeded() + r.queued(), job.failed() + r.failed(),
                job.checkpoint() + page.ids().size()).withResult(Map.copyOf(result)));
    }

    /**
     * Profiles held back go out when their time comes, and an A/B test's winner is chosen when
     * its wait is over; returns whether the run was cancelled meanwhile.
     */
    private boolean held(Job job, Campaign c, AbChooser chooser, Map<String, Message> variants, SendPace pace, Map<String, Object> result,
                         Instant decideAt) {
        while (true) {
            Instant moment = now(); // one moment for the decision and the due entries: none slips in before its winner
            if (decideAt != null && !result.containsKey("winner") && !moment.isBefore(decideAt)) {
                AbTestStats stats = AbTestStats.of(events, c, variants);
                result.put("winner", stats.leader());
                result.put("abTest", stats);
                log.info("campaign {}: variant {} wins ({})", c.id(), stats.leader(), stats);
                job = jobs.save(job.withResult(Map.copyOf(result)));
            }
            int allowed = pace.allowed(moment);
            if (allowed == 0) {
                pace.waitForRoom(moment);
                if (cancelled(c, job)) {
                    return true;
                }
                continue;
            }
            List<SendLedger.Entry> due = ledger().due(job.id(), moment, pageSize(c, allowed));
            if (!due.isEmpty()) {
                List<String> ids = new ArrayList<>(new LinkedHashSet<>(due.stream().map(SendLedger.Entry::profileId).toList()));
                String runId = job.id();
                due.forEach(d -> ledger().advance(runId, d.key(), LedgerState.WAITING, LedgerState.PENDING, null));
                SendPipeline.Result r = pipeline.publish(pages.start(job.id(), c, chooser, ids));
                pace.sent(now(), r.queued());
                result.put("pace", pace.state());
                job = jobs.save(job.progressed(job.processed(), job.succeeded() + r.queued(), job.failed() + r.failed(), job.checkpoint())
                        .withResult(Map.copyOf(result)));
                continue;
            }
            Optional<Instant> next = ledger().nextDue(job.id());
            if (next.isEmpty()) {
                return false;
            }
            try {
                Thread.sleep(Math.max(100, Math.min(2_000, Duration.between(now(), next.get()).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (cancelled(c, job)) {
                return true;
            }
        }
    }

    /**
     * A test send before launching: the campaign's message (each A/B variant) to its observer
     * database now, as a run of its own ({@code test-…}). Returns the copies queued.
     */
    public long sendTest(String workspaceId, String campaignId) {
        Campaign c = campaigns.get(workspaceId, campaignId);
        if (c.observers() == null) {
            throw new InvalidInputException("observers", null, "name an observer database to send tests to");
        }
        Map<String, Message> byVariant = new LinkedHashMap<>();
        if (c.abTest() == null) {
            byVariant.put("", messages.get(workspaceId, c.messageId()));
        } else {
            c.abTest().variants().forEach(v -> byVariant.put(v.name(), messages.get(workspaceId, v.messageId())));
        }
        return pages.sendToObservers("test-" + Ids.next(), c, byVariant);
    }
}
