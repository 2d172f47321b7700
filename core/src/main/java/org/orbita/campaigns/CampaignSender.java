package org.orbita.campaigns;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.audiences.SegmentMembers;
import org.orbita.common.Ids;
import org.orbita.common.InvalidInputException;
import org.orbita.common.Json;
import org.orbita.content.Links;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.content.RenderedMessage;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.jobs.Job;
import org.orbita.jobs.Jobs;
import org.orbita.profiles.Channel;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.Subscription;
import org.orbita.queues.SendQueue;
import org.orbita.sending.EmailEnvelope;
import org.orbita.sending.SendLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a campaign (the {@code campaign} job): the audience a page at a time in profile id
 * order; per profile and channel an entry in the send ledger (skipped with a reason when the
 * profile has no active subscription there — of the campaign's resource, when it names one); the pending ones rendered and published to the
 * channel's queue with their key ({@code run/profile/channel}), then marked queued, then the
 * page's last id becomes the job's cursor. Every http(s) link of an email becomes a signed
 * click link and an open pixel is added, both naming the campaign. Email goes to the platform's email queue
 * ({@code orbita.queue.email-queue}), which MTA nodes consume. A run that restarts (crash, stop) reads the same
 * pages again: queued entries are left alone, pending ones published again with the same key
 * — the MTA drops a key it already spooled — so nobody is sent twice and nobody skipped.
 */
public final class CampaignSender {

    public static final String KIND = "campaign";

    private static final Logger log = LoggerFactory.getLogger(CampaignSender.class);
    private static final int PAGE = 500;

    private final Campaigns campaigns;
    private final Messages messages;
    private final ProfileStore profiles;
    private final SegmentMembers members;
    private final SendLedger ledger;
    private final SendQueue queue;
    private final String emailQueue;
    private final EventLog events;
    private final Links links;
    private final Jobs jobs;
    /** Renders run here, as many at once as there are processors. */
    private final java.util.concurrent.ExecutorService renderers = java.util.concurrent.Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), Thread.ofPlatform().name("campaign-render-", 0).daemon(true).factory());

    public CampaignSender(Campaigns campaigns, Messages messages, ProfileStore profiles, SegmentMembers members, SendLedger ledger,
                          SendQueue queue, String emailQueue, EventLog events, Links links, Jobs jobs) {
        this.emailQueue = emailQueue;
        this.campaigns = campaigns;
        this.messages = messages;
        this.profiles = profiles;
        this.members = members;
        this.ledger = ledger;
        this.queue = queue;
        this.events = events;
        this.links = links;
        this.jobs = jobs;
    }

    /** Runs or resumes a campaign's run. */
    public Job run(String jobId) {
        Job job = jobs.save(jobs.get(jobId).running(jobs.clock().instant()));
        String campaignId = String.valueOf(job.params().get("campaignId"));
        Optional<Campaign> found = campaigns.find(job.workspaceId(), campaignId);
        if (found.isEmpty()) {
            return jobs.save(job.failedWith("campaign " + campaignId + " no longer exists", jobs.clock().instant()));
        }
        Campaign c = found.get();
        Map<String, Object> result = new LinkedHashMap<>(job.result());
        Message message;
        Map<String, Message> variants = new LinkedHashMap<>();
        try {
            // the message(s) as they were when the run started, also after a restart
            if (c.abTest() == null) {
                Object version = result.get("messageVersion");
                message = version == null ? messages.get(c.workspaceId(), c.messageId())
                        : messages.version(c.workspaceId(), c.messageId(), ((Number) version).longValue());
                result.put("messageVersion", message.version());
            } else {
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
                message = variants.values().iterator().next();
            }
        } catch (RuntimeException e) {
            campaigns.finished(c, Campaign.Status.FAILED);
            return jobs.save(job.failedWith("message of campaign " + c.id() + ": " + e.getMessage(), jobs.clock().instant()));
        }
        result.put("campaignId", c.id());
        if (c.abTest() != null && !result.containsKey("testStart")) {
            // in whole milliseconds, as the ledger keeps due times: the decision and the due entries see the same moment
            result.put("testStart", jobs.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        }
        Instant testStart = result.containsKey("testStart") ? Instant.parse((String) result.get("testStart")) : null;
        if (c.abTest() != null && c.abTest().testPercent() < 100 && !result.containsKey("decideAt")) {
            result.put("decideAt", testStart.plus(java.time.Duration.ofMinutes((long) c.abTest().longestDelay() + c.abTest().waitMinutes())).toString());
        }
        Instant decideAt = result.containsKey("decideAt") ? Instant.parse((String) result.get("decideAt")) : null;
        Message single = message;
        Chooser chooser = id -> {
            Campaign.AbTest ab = c.abTest();
            if (ab == null) {
                return new Choice(null, single, null);
            }
            int bucket = Math.floorMod((c.id() + "/" + id).hashCode(), 100);
            if (bucket < ab.testPercent()) {
                Campaign.Variant v = ab.variantOf(c.id(), id, bucket);
                // a send-time variant holds its share back until its time
                return new Choice(v.name(), variants.get(v.name()), v.delay() == 0 ? null : testStart.plus(java.time.Duration.ofMinutes(v.delay())));
            }
            Object winner = result.get("winner");
            return winner == null ? new Choice(null, null, decideAt) : new Choice((String) winner, variants.get(winner), null);
        };
        if (c.observers() != null && !result.containsKey("observers")) {
            try {
                result.put("observers", sendToObservers(job.id(), c, c.abTest() == null ? Map.of("", message) : variants));
            } catch (RuntimeException e) {
                log.error("campaign {} run {}: the observers' copies", c.id(), job.id(), e);
                campaigns.finished(c, Campaign.Status.FAILED);
                return jobs.save(job.failedWith("observers' copies: " + e.getMessage() + " (launch the campaign again to resume)", jobs.clock().instant()));
            }
        }
        Audience audience = new Audience(members, c.database(), c.segments(), c.excludeSegments());
        SendPace pace = new SendPace(c.limits() == null ? null : c.limits().rate(), c.limits() == null ? null : c.limits().warmup(),
                job.started() == null ? jobs.clock().instant() : job.started(), result.get("pace"));
        String cursor = (String) result.get("cursor");
        boolean cancelled = false;
        boolean paced = c.limits() != null && (c.limits().rate() != null || c.limits().warmup() != null);
        Page inFlight = null;
        try {
        while (true) {
            if (campaigns.find(c.workspaceId(), c.id()).map(now -> now.status() == Campaign.Status.CANCELLED).orElse(true)) {
                cancelled = true;
                break;
            }
            int allowed = pace.allowed(jobs.clock().instant());
            if (allowed == 0) {
                pace.waitForRoom(jobs.clock().instant());
                continue;
            }
            List<String> ids = audience.next(cursor, Math.min(PAGE, Math.max(1, allowed / Math.max(1, c.channels().size()))));
            if (ids.isEmpty()) {
                break;
            }
            cursor = ids.get(ids.size() - 1); // where the next page starts; the job's checkpoint moves only with finished pages
            // the next page renders while this thread publishes the one before (an unpaced run keeps one page in flight)
            Page next = start(job.id(), c, chooser, ids);
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
            inFlight = null;
        }
        // profiles held back (quiet hours, an A/B test's winner) go out when their time comes
        while (!cancelled) {
            Instant moment = jobs.clock().instant(); // one moment for the decision and the due entries: none slips in before its winner
            if (decideAt != null && !result.containsKey("winner") && !moment.isBefore(decideAt)) {
                AbTestStats stats = AbTestStats.of(events, c, variants);
                result.put("winner", stats.leader());
                result.put("abTest", stats);
                log.info("campaign {}: variant {} wins ({})", c.id(), stats.leader(), stats);
                job = jobs.save(new Job(job.id(), job.workspaceId(), job.kind(), job.status(), job.processed(), job.succeeded(), job.failed(),
                        job.checkpoint(), job.params(), Map.copyOf(result), null, job.created(), job.started(), null));
            }
            int allowed = pace.allowed(moment);
            if (allowed == 0) {
                pace.waitForRoom(moment);
                cancelled = campaigns.find(c.workspaceId(), c.id()).map(now -> now.status() == Campaign.Status.CANCELLED).orElse(true);
                continue;
            }
            List<SendLedger.Entry> due = ledger.due(job.id(), moment, Math.min(PAGE, Math.max(1, allowed / Math.max(1, c.channels().size()))));
            if (!due.isEmpty()) {
                List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(due.stream().map(SendLedger.Entry::profileId).toList()));
                String runId = job.id();
                due.forEach(d -> ledger.advance(runId, d.key(), SendLedger.WAITING, SendLedger.PENDING, null));
                long[] counts = sendPage(job.id(), c, chooser, ids);
                pace.sent(jobs.clock().instant(), counts[0]);
                result.put("pace", pace.state());
                job = jobs.save(new Job(job.id(), job.workspaceId(), job.kind(), job.status(), job.processed(), job.succeeded() + counts[0],
                        job.failed() + counts[1], job.checkpoint(), job.params(), Map.copyOf(result), null, job.created(), job.started(), null));
                continue;
            }
            Optional<Instant> next = ledger.nextDue(job.id());
            if (next.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(Math.max(100, Math.min(2_000, java.time.Duration.between(jobs.clock().instant(), next.get()).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            cancelled = campaigns.find(c.workspaceId(), c.id()).map(now -> now.status() == Campaign.Status.CANCELLED).orElse(true);
        }
        } catch (RuntimeException e) {
            // the queue or a store failed: the run stops here; launching the campaign again resumes it
            log.error("campaign {} run {} stopped", c.id(), job.id(), e);
            campaigns.finished(c, Campaign.Status.FAILED);
            return jobs.save(job.failedWith("stopped after " + job.processed() + " profiles: " + e.getMessage()
                    + " (launch the campaign again to resume)", jobs.clock().instant()));
        }
        result.remove("cursor");
        result.put("ledger", ledger.countByState(job.id()));
        result.put("cancelled", cancelled);
        if (!cancelled) {
            campaigns.finished(c, Campaign.Status.SENT);
        }
        log.info("campaign {} run {}: {}", c.id(), job.id(), result.get("ledger"));
        return jobs.save(job.succeeded(result, jobs.clock().instant()));
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
        return sendToObservers("test-" + Ids.next(), c, byVariant);
    }

    /** Observer databases are seed lists: at most this many of their profiles get copies. */
    static final int MAX_OBSERVERS = 1000;

    /**
     * The observers' copies of a run: every profile of the observer database (the first
     * {@value #MAX_OBSERVERS}) gets each message (each A/B variant) in each of the campaign's
     * channels where it can receive, rendered with its own data. Their ledger is the run's id with
     * {@code .observers[.variant]}, so a resumed run sends no copy twice; the copies are recorded in
     * the observers' histories as {@code message.sent} with {@code observer_of}, outside the
     * campaign's figures (their links are not attributed to the campaign). Returns the copies queued.
     */
    private long sendToObservers(String runId, Campaign c, Map<String, Message> byVariant) {
        List<Profile> observers = profiles.page(c.observers(), null, MAX_OBSERVERS);
        long queuedCount = 0;
        Origin origin = new Origin(c.workspaceId(), c.observers(), null, c.name(), null, null);
        for (Map.Entry<String, Message> variant : byVariant.entrySet()) {
            String run = runId + ".observers" + (variant.getKey().isEmpty() ? "" : "." + variant.getKey());
            List<SendLedger.Entry> wanted = new ArrayList<>();
            Map<String, Subscription> target = new LinkedHashMap<>();
            Map<String, Profile> byId = new LinkedHashMap<>();
            for (Profile p : observers) {
                byId.put(p.id(), p);
                for (String channel : c.channels()) {
                    Optional<Subscription> s = Campaigns.needsSubscription(channel) ? subscription(p, Messages.channelOf(channel), null) : Optional.empty();
                    if (s.isEmpty() && Campaigns.needsSubscription(channel)) {
                        wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.SKIPPED, "the observer has no active " + channel + " subscription"));
                    } else {
                        target.put(p.id() + "/" + channel, s.orElse(null));
                        wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.PENDING, null));
                    }
                }
            }
            Map<String, List<SendQueue.Message>> out = new LinkedHashMap<>();
            List<SendLedger.Entry> marks = new ArrayList<>();
            List<Event> sent = new ArrayList<>();
            Instant now = jobs.clock().instant();
            for (SendLedger.Entry e : ledger.reserve(run, wanted).values()) {
                if (!SendLedger.PENDING.equals(e.state()) || !target.containsKey(e.key())) {
                    continue;
                }
                Profile p = byId.get(e.profileId());
                try {
                    SendQueue.Message m = e.channel().equals("email") ? email(run, origin, variant.getValue(), p, target.get(e.key()), e)
                            : toProvider(run, origin, variant.getValue(), p, target.get(e.key()), e);
                    out.computeIfAbsent(e.channel().equals("email") ? emailQueue : org.orbita.channels.ChannelWorker.queueOf(e.channel()),
                            q -> new ArrayList<>()).add(m);
                    marks.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.QUEUED, null));
                    Map<String, Object> props = new LinkedHashMap<>(Map.of("observer_of", c.id(), "run", runId, "message_id", variant.getValue().id()));
                    if (!variant.getKey().isEmpty()) {
                        props.put("variant", variant.getKey());
                    }
                    sent.add(new Event(Ids.next(), c.observers(), e.profileId(), "message.sent", e.channel(), now, props));
                } catch (InvalidInputException invalid) {
                    marks.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.FAILED, "render: " + invalid.getMessage()));
                }
            }
            out.forEach(queue::publishAll);
            if (!marks.isEmpty()) {
                ledger.mark(run, marks);
            }
            if (!sent.isEmpty()) {
                events.append(sent);
            }
            queuedCount += marks.stream().filter(m -> SendLedger.QUEUED.equals(m.state())).count();
        }
        return queuedCount;
    }

    /** A page finished: published, marked, counted, and the run's job saved with the page's last profile as its cursor. */
    private Job finished(Job job, Page page, SendPace pace, Map<String, Object> result) {
        long[] counts = finish(page);
        pace.sent(jobs.clock().instant(), counts[0]);
        result.put("pace", pace.state());
        result.put("cursor", page.ids().get(page.ids().size() - 1));
        return jobs.save(new Job(job.id(), job.workspaceId(), job.kind(), job.status(), job.processed() + page.ids().size(),
                job.succeeded() + counts[0], job.failed() + counts[1], job.checkpoint() + page.ids().size(), job.params(),
                Map.copyOf(result), null, job.created(), job.started(), null));
    }

    /**
     * Which message a profile gets: its A/B variant (or the winner), or none yet until
     * {@code holdUntil}; with a message, {@code holdUntil} is its variant's send time.
     */
    record Choice(String variant, Message message, Instant holdUntil) {}

    @FunctionalInterface
    interface Chooser {
        Choice choose(String profileId);
    }

    /**
     * The first half of a page: its ledger entries reserved (skipped ones with their reason) and
     * its pending messages handed to the renderers.
     */
    private Page start(String runId, Campaign c, Chooser chooser, List<String> ids) {
        List<SendLedger.Entry> wanted = new ArrayList<>();
        Map<String, Profile> byId = new LinkedHashMap<>();
        Map<String, Subscription> target = new LinkedHashMap<>();
        Instant at = jobs.clock().instant();
        Campaign.Frequency cap = c.limits() == null ? null : c.limits().frequency();
        Campaign.QuietHours quiet = c.limits() == null ? null : c.limits().quietHours();
        Map<String, Map<String, Long>> recent = new LinkedHashMap<>();
        if (cap != null) {
            for (String channel : c.channels()) {
                recent.put(channel, ledger.sentSince(ids, channel, at.minus(java.time.Duration.ofDays(cap.days())), runId));
            }
        }
        for (String id : ids) {
            Optional<Profile> p = profiles.find(c.database(), id);
            for (String channel : c.channels()) {
                if (cap != null && recent.get(channel).getOrDefault(id, 0L) >= cap.max()) {
                    wanted.add(new SendLedger.Entry(id, channel, SendLedger.SKIPPED, "frequency cap: " + cap.max() + " " + channel
                            + " message(s) in " + cap.days() + " day(s) already"));
                    continue;
                }
                Channel ch = Messages.channelOf(channel);
                if (p.isEmpty()) {
                    wanted.add(new SendLedger.Entry(id, channel, SendLedger.SKIPPED, "the profile was deleted"));
                    continue;
                }
                // a webhook and the inbox reach every profile of the audience; the other channels need an active subscription
                Optional<Subscription> s = !Campaigns.needsSubscription(channel) ? Optional.empty() : subscription(p.get(), ch, c.resource());
                if (s.isEmpty() && Campaigns.needsSubscription(channel)) {
                    wanted.add(new SendLedger.Entry(id, channel, SendLedger.SKIPPED, "no active " + channel + " subscription"
                            + (c.resource() == null || c.resource().isBlank() ? "" : " to " + c.resource())));
                    continue;
                }
                byId.put(id, p.get());
                target.put(id + "/" + channel, s.orElse(null));
                Choice choice = chooser.choose(id);
                Instant from = choice.message() != null && choice.holdUntil() != null && choice.holdUntil().isAfter(at) ? choice.holdUntil() : at;
                String why = "variant " + choice.variant() + "'s send time: ";
                if (c.local() != null) {
                    java.time.ZoneId zone = zoneOf(p.get(), c.local().timezoneField(), c.local().timezone());
                    Instant local = c.local().at().atZone(zone).toInstant();
                    if (local.isAfter(from)) {
                        from = local;
                        why = c.local().at() + " in " + zone + ": ";
                    }
                }
                Instant allowed = quiet == null ? from : quiet.allowedFrom(from, zoneOf(p.get(), quiet));
                if (choice.message() == null) {
                    // no message for this profile yet (an A/B test's winner is not chosen): it waits, at least a second more
                    Instant until = choice.holdUntil() != null && choice.holdUntil().isAfter(allowed) ? choice.holdUntil() : allowed.plusSeconds(1);
                    wanted.add(new SendLedger.Entry(id, channel, SendLedger.WAITING, "A/B test: waits for the winner until " + until, until));
                } else {
                    wanted.add(allowed.isAfter(at)
                            ? new SendLedger.Entry(id, channel, SendLedger.WAITING, (from.isAfter(at) ? why : "quiet hours until ") + allowed, allowed)
                            : new SendLedger.Entry(id, channel, SendLedger.PENDING, null));
                }
            }
        }
        Map<String, SendLedger.Entry> standing = ledger.reserve(runId, wanted);
        List<SendLedger.Entry> failed = new ArrayList<>();
        Instant now = jobs.clock().instant();
        // renders are independent: spread over the processors, results kept in ledger order
        List<SendLedger.Entry> toSend = new ArrayList<>();
        for (SendLedger.Entry e : standing.values()) {
            if (!SendLedger.PENDING.equals(e.state())) {
                continue; // queued before a restart, or skipped
            }
            if (byId.get(e.profileId()) == null || !target.containsKey(e.key())) {
                // pending from a crashed attempt, but no longer sendable (unsubscribed since): say why
                failed.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.SKIPPED, "no active " + e.channel() + " subscription"));
                continue;
            }
            Choice early = chooser.choose(e.profileId());
            if (early.message() == null) {
                // pending from before a restart, but its A/B winner is not chosen yet: back to waiting
                Instant until = early.holdUntil() != null && early.holdUntil().isAfter(now) ? early.holdUntil() : now.plusSeconds(1);
                failed.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.WAITING, "A/B test: waits for the winner until " + until, until));
                continue;
            }
            toSend.add(e);
        }
        Origin origin = Origin.of(c);
        List<java.util.concurrent.Future<SendQueue.Message>> rendered = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        for (SendLedger.Entry e : toSend) {
            Profile p = byId.get(e.profileId());
            Subscription s = target.get(e.key());
            Choice choice = chooser.choose(e.profileId());
            choices.add(choice);
            Message message = choice.message();
            rendered.add(renderers.submit(() -> e.channel().equals("email") ? email(runId, origin, message, p, s, e)
                    : toProvider(runId, origin, message, p, s, e)));
        }
        return new Page(runId, c, ids, toSend, rendered, choices, failed, now);
    }

    /** A page whose ledger entries are reserved and whose messages are being rendered. */
    private record Page(String runId, Campaign c, List<String> ids, List<SendLedger.Entry> toSend,
                        List<java.util.concurrent.Future<SendQueue.Message>> rendered, List<Choice> choices, List<SendLedger.Entry> failed,
                        Instant now) {}

    /** One page of the audience: ledger first, then the queue, then the ledger again. Returns {queued, failed}. */
    private long[] sendPage(String runId, Campaign c, Chooser chooser, List<String> ids) {
        return finish(start(runId, c, chooser, ids));
    }

    /** The second half of a page: its rendered messages published (confirmed), the ledger marked, the sends recorded. */
    private long[] finish(Page page) {
        String runId = page.runId();
        Campaign c = page.c();
        List<SendLedger.Entry> toSend = page.toSend();
        List<java.util.concurrent.Future<SendQueue.Message>> rendered = page.rendered();
        List<Choice> choices = page.choices();
        List<SendLedger.Entry> failed = page.failed();
        Instant now = page.now();
        Map<String, List<SendQueue.Message>> out = new LinkedHashMap<>();
        List<SendLedger.Entry> queued = new ArrayList<>();
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < toSend.size(); i++) {
            SendLedger.Entry e = toSend.get(i);
            try {
                SendQueue.Message m = rendered.get(i).get();
                out.computeIfAbsent(e.channel().equals("email") ? emailQueue : org.orbita.channels.ChannelWorker.queueOf(e.channel()),
                        q -> new ArrayList<>()).add(m);
                queued.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.QUEUED, null));
                Choice choice = choices.get(i);
                Map<String, Object> props = new LinkedHashMap<>(Map.of("campaign", c.id(), "run", runId, "message_id", choice.message().id(),
                        "message_version", choice.message().version()));
                if (choice.variant() != null) {
                    props.put("variant", choice.variant());
                }
                sent.add(new Event(Ids.next(), c.database(), e.profileId(), "message.sent", e.channel(), now, props));
            } catch (java.util.concurrent.ExecutionException ex) {
                if (!(ex.getCause() instanceof InvalidInputException invalid)) {
                    throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
                }
                failed.add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.FAILED, "render: " + invalid.getMessage()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rendering", ex);
            }
        }
        // each returns once the broker confirmed every message
        out.forEach(queue::publishAll);
        List<SendLedger.Entry> marks = new ArrayList<>(queued);
        marks.addAll(failed);
        if (!marks.isEmpty()) {
            ledger.mark(runId, marks);
        }
        if (!sent.isEmpty()) {
            events.append(sent);
        }
        return new long[] {queued.size(), failed.stream().filter(f -> f.state().equals(SendLedger.FAILED)).count()};
    }

    /** The profile's time zone (its field named in the quiet hours), else the campaign's, else UTC. */
    private static java.time.ZoneId zoneOf(Profile p, Campaign.QuietHours q) {
        return zoneOf(p, q.timezoneField(), q.timezone());
    }

    /** The profile's zone: its field's, else the campaign's, else UTC. */
    private static java.time.ZoneId zoneOf(Profile p, String timezoneField, String timezone) {
        Object field = timezoneField == null ? null : p.field(timezoneField);
        for (Object z : new Object[] {field, timezone}) {
            if (z != null && !String.valueOf(z).isBlank()) {
                try {
                    return java.time.ZoneId.of(String.valueOf(z).strip());
                } catch (java.time.DateTimeException e) {
                    // not a zone: the next one decides
                }
            }
        }
        return java.time.ZoneOffset.UTC;
    }

    /**
     * The subscription a campaign reaches: an active one in the channel, of the campaign's
     * resource when it names one, else any (the {@code default} resource first).
     */
    static Optional<Subscription> subscription(Profile p, Channel channel, String resource) {
        return p.subscriptions().stream()
                .filter(x -> x.channel() == channel && x.status() == Subscription.Status.ACTIVE)
                .filter(x -> resource == null || resource.isBlank() || x.resource().equals(resource))
                .min(java.util.Comparator.comparing((Subscription x) -> !x.resource().equals(Subscription.DEFAULT_RESOURCE)));
    }

    /** Where a send comes from: a campaign (id and name for templates and tracking), or a transactional call with its data. */
    record Origin(String workspaceId, String database, String id, String name, Map<String, Object> data, Map<String, Object> event) {

        static Origin of(Campaign c) {
            return new Origin(c.workspaceId(), c.database(), c.id(), c.name(), null, null);
        }

        void addTo(Map<String, Object> templateData) {
            if (id != null) {
                templateData.put("campaign", Map.of("id", id, "name", name));
            }
            if (data != null) {
                templateData.put("data", data);
            }
            if (event != null) {
                templateData.put("event", event);
            }
        }
    }

    /** What became of a transactional send in one channel. */
    public record Sent(String channel, String state, String detail) {}

    /**
     * A transactional message: one profile, now, in the given channels, with the caller's data
     * (templates see it as {@code data}). The caller's idempotency key (or a fresh one) is the
     * run: calling again with the same key sends nothing twice. Transactional mail reaches an
     * unsubscribed address (a receipt, a password reset) but never one that bounced or is suspended.
     */
    public List<Sent> sendNow(String workspaceId, String databaseId, Message message, Profile p, List<String> channels, Map<String, Object> data,
                              String idempotencyKey) {
        String runId = "tx-" + (idempotencyKey == null ? Ids.next() : idempotencyKey);
        return sendOne(runId, new Origin(workspaceId, databaseId, null, null, data, null), message, p, channels, channel -> {
            Channel ch = Messages.channelOf(channel);
            return p.subscriptions().stream()
                    .filter(x -> x.channel() == ch && (x.status() == Subscription.Status.ACTIVE || x.status() == Subscription.Status.UNSUBSCRIBED))
                    .min(java.util.Comparator.comparing((Subscription x) -> x.status() != Subscription.Status.ACTIVE));
        }, Map.of("transactional", true));
    }

    /**
     * A journey's send-message node: one profile, its active subscriptions (in {@code resource}
     * when named), the journey's data as {@code data} in templates. {@code runId} names the
     * instance and node, so a job Zeebe hands out again never sends twice.
     */
    public List<Sent> sendJourney(String workspaceId, String databaseId, Message message, Profile p, List<String> channels, String resource,
                                  Map<String, Object> data, String runId, Map<String, Object> eventProperties) {
        return sendOne(runId, new Origin(workspaceId, databaseId, null, null, data, null), message, p, channels,
                channel -> subscription(p, Messages.channelOf(channel), resource), eventProperties);
    }

    private List<Sent> sendOne(String runId, Origin origin, Message message, Profile p, List<String> channels,
                               java.util.function.Function<String, Optional<Subscription>> addressOf, Map<String, Object> eventProperties) {
        String databaseId = origin.database();
        List<SendLedger.Entry> wanted = new ArrayList<>();
        Map<String, Subscription> target = new LinkedHashMap<>();
        for (String channel : channels) {
            Optional<Subscription> s = !Campaigns.needsSubscription(channel) ? Optional.empty() : addressOf.apply(channel);
            if (s.isEmpty() && Campaigns.needsSubscription(channel)) {
                wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.SKIPPED, "no " + channel + " address that can receive"));
            } else {
                target.put(p.id() + "/" + channel, s.orElse(null));
                wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.PENDING, null));
            }
        }
        Map<String, SendLedger.Entry> standing = ledger.reserve(runId, wanted);
        List<Sent> out = new ArrayList<>();
        List<Event> sent = new ArrayList<>();
        for (SendLedger.Entry e : standing.values()) {
            if (!SendLedger.PENDING.equals(e.state())) {
                out.add(new Sent(e.channel(), e.state(), SendLedger.SKIPPED.equals(e.state()) ? e.detail() : "already sent with this key"));
                continue;
            }
            Subscription s = target.get(e.key());
            SendQueue.Message m = e.channel().equals("email") ? email(runId, origin, message, p, s, e) : toProvider(runId, origin, message, p, s, e);
            queue.publishAll(e.channel().equals("email") ? emailQueue : org.orbita.channels.ChannelWorker.queueOf(e.channel()), List.of(m));
            ledger.mark(runId, List.of(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.QUEUED, null)));
            out.add(new Sent(e.channel(), SendLedger.QUEUED, null));
            Map<String, Object> props = new LinkedHashMap<>(eventProperties);
            props.putAll(Map.of("run", runId, "message_id", message.id(), "message_version", message.version()));
            sent.add(new Event(Ids.next(), databaseId, p.id(), "message.sent", e.channel(), jobs.clock().instant(), props));
        }
        if (!sent.isEmpty()) {
            events.append(sent);
        }
        return out;
    }

    /** One firing of a trigger campaign: the campaign, the profile and the event. */
    public record Fired(Campaign campaign, Profile profile, org.orbita.events.Event event) {}

    /**
     * Trigger campaigns' sends, a batch at a time: each firing is its own run {@code trg-<event id>}
     * (so the same event never sends twice), to the profile's active subscriptions, under the
     * campaign's frequency cap, with the event's properties as {@code event} in templates. The
     * batch is rendered on every processor and published with one wait for the broker's confirms.
     */
    public void sendTriggered(List<Fired> batch) {
        Map<String, Message> byId = new LinkedHashMap<>();
        List<SendLedger.Entry> entries = new ArrayList<>();
        List<Fired> owners = new ArrayList<>();
        List<Subscription> targets = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        Instant now = jobs.clock().instant();
        for (Fired f : batch) {
            Campaign c = f.campaign();
            Profile p = f.profile();
            String runId = "trg-" + f.event().id();
            Map<String, Object> event = new LinkedHashMap<>(f.event().properties());
            event.put("type", f.event().type());
            event.put("time", f.event().time().toString());
            Origin origin = new Origin(c.workspaceId(), c.database(), c.id(), c.name(), null, event);
            Campaign.Frequency cap = c.limits() == null ? null : c.limits().frequency();
            List<SendLedger.Entry> wanted = new ArrayList<>();
            Map<String, Subscription> target = new LinkedHashMap<>();
            for (String channel : c.channels()) {
                Optional<Subscription> s = !Campaigns.needsSubscription(channel) ? Optional.empty() : subscription(p, Messages.channelOf(channel), c.resource());
                if (cap != null && ledger.sentSince(List.of(p.id()), channel, now.minus(java.time.Duration.ofDays(cap.days())), runId)
                        .getOrDefault(p.id(), 0L) >= cap.max()) {
                    wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.SKIPPED, "frequency cap"));
                } else if (s.isEmpty() && Campaigns.needsSubscription(channel)) {
                    wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.SKIPPED, "no active " + channel + " subscription"));
                } else {
                    target.put(p.id() + "/" + channel, s.orElse(null));
                    wanted.add(new SendLedger.Entry(p.id(), channel, SendLedger.PENDING, null));
                }
            }
            for (SendLedger.Entry e : ledger.reserve(runId, wanted).values()) {
                if (SendLedger.PENDING.equals(e.state())) {
                    entries.add(e);
                    owners.add(f);
                    targets.add(target.get(e.key()));
                    origins.add(origin);
                }
            }
            byId.computeIfAbsent(c.messageId(), id -> messages.get(c.workspaceId(), id));
        }
        List<java.util.concurrent.Future<SendQueue.Message>> rendered = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SendLedger.Entry e = entries.get(i);
            Fired f = owners.get(i);
            Subscription s = targets.get(i);
            Origin origin = origins.get(i);
            Message message = byId.get(f.campaign().messageId());
            String runId = "trg-" + f.event().id();
            rendered.add(renderers.submit(() -> e.channel().equals("email") ? email(runId, origin, message, f.profile(), s, e)
                    : toProvider(runId, origin, message, f.profile(), s, e)));
        }
        Map<String, List<SendQueue.Message>> out = new LinkedHashMap<>();
        Map<String, List<SendLedger.Entry>> marks = new LinkedHashMap<>();
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SendLedger.Entry e = entries.get(i);
            Fired f = owners.get(i);
            String runId = "trg-" + f.event().id();
            Message message = byId.get(f.campaign().messageId());
            try {
                out.computeIfAbsent(e.channel().equals("email") ? emailQueue : org.orbita.channels.ChannelWorker.queueOf(e.channel()),
                        q -> new ArrayList<>()).add(rendered.get(i).get());
                marks.computeIfAbsent(runId, r -> new ArrayList<>()).add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.QUEUED, null));
                sent.add(new Event(Ids.next(), f.campaign().database(), e.profileId(), "message.sent", e.channel(), now,
                        Map.of("campaign", f.campaign().id(), "run", runId, "trigger", f.event().type(), "message_id", message.id(),
                                "message_version", message.version())));
            } catch (java.util.concurrent.ExecutionException ex) {
                String reason = ex.getCause() instanceof InvalidInputException invalid ? "render: " + invalid.getMessage() : String.valueOf(ex.getCause());
                marks.computeIfAbsent(runId, r -> new ArrayList<>()).add(new SendLedger.Entry(e.profileId(), e.channel(), SendLedger.FAILED, reason));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rendering", ex);
            }
        }
        out.forEach(queue::publishAll);
        marks.forEach(ledger::mark);
        if (!sent.isEmpty()) {
            events.append(sent);
        }
    }

    /** A message for a channel worker: the rendered variant as its provider takes it, and where it goes. */
    private SendQueue.Message toProvider(String runId, Origin c, Message message, Profile p, Subscription s, SendLedger.Entry e) {
        Links.Context link = new Links.Context(c.workspaceId(), c.database(), p.id(), message.id(), message.version(), e.channel(), c.id());
        Map<String, Object> data = new LinkedHashMap<>(Messages.profileData(p, Messages.channelOf(e.channel())));
        c.addTo(data);
        RenderedMessage r = messages.render(message, data, List.of(Campaigns.variantOf(e.channel())), null, link);
        Map<String, Object> payload = new LinkedHashMap<>();
        switch (e.channel()) {
            case "push", "webpush", "inapp" -> {
                // the deep link and the actions' links are tracked as in email
                RenderedMessage.Push push = r.push();
                payload.put("title", push.title());
                payload.put("body", push.body());
                payload.put("image", push.image());
                payload.put("link", tracked(push.deepLink(), link));
                List<Map<String, Object>> actions = new ArrayList<>();
                if (push.actions() != null) {
                    for (Message.Button b : push.actions()) {
                        Map<String, Object> action = new LinkedHashMap<>();
                        action.put("title", b.title());
                        action.put("link", tracked(b.link(), link));
                        actions.add(action);
                    }
                }
                payload.put("actions", actions);
                if (e.channel().equals("inapp")) {
                    payload.put("database", c.database());
                    if (c.id() != null) {
                        payload.put("campaign", c.id());
                    }
                }
            }
            case "telegram" -> {
                // links in the text (HTML mode) and on the buttons are tracked as in email
                String text = r.telegram().text();
                payload.put("text", text != null && "HTML".equalsIgnoreCase(r.telegram().parseMode()) ? trackClicks(text, link) : text);
                payload.put("parseMode", r.telegram().parseMode());
                payload.put("image", r.telegram().image());
                List<Map<String, Object>> buttons = new ArrayList<>();
                if (r.telegram().buttons() != null) {
                    for (Message.Button b : r.telegram().buttons()) {
                        String url = tracked(b.link(), link);
                        Map<String, Object> button = new LinkedHashMap<>();
                        button.put("title", b.title());
                        button.put("link", url);
                        button.put("row", b.row());
                        buttons.add(button);
                    }
                }
                payload.put("buttons", buttons);
            }
            case "sms" -> {
                payload.put("text", r.sms().text());
                payload.put("sender", r.sms().sender());
            }
            case "webhook" -> {
                payload.put("method", r.webhook().method());
                payload.put("url", r.webhook().url());
                payload.put("headers", r.webhook().headers());
                payload.put("body", r.webhook().body());
            }
            default -> throw new IllegalStateException("no provider message for " + e.channel());
        }
        String key = SendLedger.messageKey(runId, e);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("run", runId);
        if (c.id() != null) {
            json.put("campaign", c.id());
        }
        json.put("database", c.database());
        json.put("profile", p.id());
        json.put("address", s == null ? p.id() : s.address());
        json.put("payload", payload);
        return new SendQueue.Message(Json.bytes(json), Map.of("key", key), false);
    }

    /** An http(s) link through a signed click link; others (app deep links, our own links) as they are. */
    private String tracked(String url, Links.Context link) {
        return url != null && url.matches("(?i)https?://.+") && !links.isOurs(url) ? links.click(link, url) : url;
    }

    /** The MTA's JSON message for one recipient, with one-click unsubscribe headers (RFC 8058). */
    private SendQueue.Message email(String runId, Origin c, Message message, Profile p, Subscription s, SendLedger.Entry e) {
        Links.Context link = new Links.Context(c.workspaceId(), c.database(), p.id(), message.id(), message.version(), "email", c.id());
        Map<String, Object> data = new LinkedHashMap<>(Messages.profileData(p, Channel.EMAIL));
        c.addTo(data);
        RenderedMessage r = messages.render(message, data, List.of("email"), null, link);
        RenderedMessage.Email mail = r.email();
        String key = SendLedger.messageKey(runId, e);
        String unsubscribe = links.unsubscribe(link);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", encodeDisplay(mail.from()));
        headers.put("Subject", encode(mail.subject() == null ? "" : mail.subject()));
        if (mail.replyTo() != null && !mail.replyTo().isBlank()) {
            headers.put("Reply-To", mail.replyTo().strip());
        }
        headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        if (c.id() != null) {
            headers.put("X-Orbita-Campaign", c.id());
        }
        // DSNs and feedback reports (ARF) return the original's headers: this names the message they are about
        headers.put("X-Orbita-Key", key);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key);
        json.put("from", message.email().fromAddress().strip());
        json.put("to", List.of(s.address()));
        json.put("subject", mail.subject());
        json.put("headers", headers);
        String html = mail.html() == null ? null : withPixel(trackClicks(mail.html(), link), links.open(link));
        return new SendQueue.Message(EmailEnvelope.encode(json, html, mail.text()), Map.of("key", key), false);
    }

    private static final java.util.regex.Pattern HREF = java.util.regex.Pattern.compile("href\\s*=\\s*\"(https?://[^\"]+)\"",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * Every http(s) link of the message through a signed click link (its own links, unsubscribe and
     * the web view, stay). A plain scan for {@code href="http…"} inside {@code <a …>} tags: a
     * pattern that also matched the tag cost most of a send's time.
     */
    private String trackClicks(String html, Links.Context link) {
        java.util.regex.Matcher m = null;
        StringBuilder out = null;
        int copied = 0;
        int at = 0;
        while (true) {
            // a lower-case "<a " is what email HTML looks like after its one parse; anything else goes by the pattern
            int open = indexOfTag(html, at);
            if (open < 0) {
                break;
            }
            int close = html.indexOf('>', open);
            if (close < 0) {
                break;
            }
            if (m == null) {
                m = HREF.matcher(html);
            }
            m.region(open, close);
            if (m.find()) {
                String url = org.jsoup.parser.Parser.unescapeEntities(m.group(1), true);
                if (!links.isOurs(url)) {
                    if (out == null) {
                        out = new StringBuilder(html.length() + 2048);
                    }
                    out.append(html, copied, m.start(1)).append(links.click(link, url));
                    copied = m.end(1);
                }
            }
            at = close;
        }
        return out == null ? html : out.append(html, copied, html.length()).toString();
    }

    /** The next {@code <a} tag (any case) followed by whitespace, from {@code from}. */
    private static int indexOfTag(String html, int from) {
        for (int i = html.indexOf('<', from); i >= 0 && i + 2 < html.length(); i = html.indexOf('<', i + 1)) {
            if ((html.charAt(i + 1) | 0x20) == 'a' && Character.isWhitespace(html.charAt(i + 2))) {
                return i;
            }
        }
        return -1;
    }

    /** The open-tracking pixel, last in the body (before {@code </body>} when there is one). */
    static String withPixel(String html, String url) {
        String img = "<img src=\"" + url + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px\">";
        int end = -1;
        // the last </body>, any case, looked for from the end (lower-casing 20 KB to find it cost a tenth of a send)
        for (int i = html.length() - 7; i >= 0; i--) {
            if (html.charAt(i) == '<' && html.regionMatches(true, i, "</body>", 0, 7)) {
                end = i;
                break;
            }
        }
        return end < 0 ? html + img : new StringBuilder(html.length() + img.length()).append(html, 0, end).append(img).append(html, end, html.length())
                .toString();
    }

    /** A header value as RFC 2047 encoded words when it is not plain ASCII. */
    static String encode(String value) {
        String v = value.replaceAll("[\r\n]+", " ");
        if (v.chars().allMatch(ch -> ch >= 32 && ch < 127)) {
            return v;
        }
        // encoded words of at most 75 characters: 45 bytes of UTF-8 each, never splitting a character
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < v.length()) {
            int end = i;
            int bytes = 0;
            while (end < v.length()) {
                int cp = v.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > 45) {
                    break;
                }
                bytes += n;
                end += Character.charCount(cp);
            }
            if (out.length() > 0) {
                out.append("\r\n ");
            }
            out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(v.substring(i, end).getBytes(StandardCharsets.UTF_8))).append("?=");
            i = end;
        }
        return out.toString().replace("\r\n ", " ");
    }

    /** {@code "Name" <address>} with the name encoded when it needs to be. */
    private static String encodeDisplay(String from) {
        int lt = from.lastIndexOf('<');
        if (lt <= 0) {
            return from;
        }
        String name = from.substring(0, lt).strip();
        if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
            name = name.substring(1, name.length() - 1);
        }
        String encoded = encode(name);
        return (encoded.equals(name) ? "\"" + name + "\"" : encoded) + " " + from.substring(lt);
    }
}
