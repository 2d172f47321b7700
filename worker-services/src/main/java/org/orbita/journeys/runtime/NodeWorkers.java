package org.orbita.journeys.runtime;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FailedParseResult;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.orbita.audiences.Condition;
import org.orbita.audiences.SegmentMembers;
import org.orbita.audiences.SegmentExplorer;
import org.orbita.audiences.Segments;
import org.orbita.common.Json;
import org.orbita.common.NotFoundException;
import org.orbita.content.Message;
import org.orbita.content.Messages;
import org.orbita.outbound.NetworkGuard;
import org.orbita.content.Templates;
import org.orbita.events.Event;
import org.orbita.events.EventLog;
import org.orbita.events.HistoryQuery;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyLedger;
import org.orbita.promo.PromoPools;
import org.orbita.promo.PromoStore;
import org.orbita.profiles.Channel;
import org.orbita.profiles.ClientDatabase;
import org.orbita.profiles.ClientDatabases;
import org.orbita.profiles.FieldDefinition;
import org.orbita.profiles.Profile;
import org.orbita.profiles.ProfileChange;
import org.orbita.profiles.ProfileSource;
import org.orbita.profiles.ProfileStore;
import org.orbita.profiles.ProfileWriting;
import org.orbita.profiles.ProfileZone;
import org.orbita.profiles.Subscription;
import org.orbita.profiles.WriteMode;
import org.orbita.sending.DirectSends;
import org.orbita.sending.LedgerState;
import org.orbita.sending.SendChannel;

/**
 * What each task node does, on the platform's own services: sends through the campaign layer's
 * ledger (once per instance and node), conditions through the segment rules, profile and
 * subscription changes through the profile writer, calls through the private-network guard,
 * codes from the pools. A node that cannot do its work throws: Zeebe retries it with a growing
 * pause and then raises an incident, which the ledger keeps for the journey page.
 */
public final class NodeWorkers {

    /** The services the nodes work with. */
    public record Services(ProfileStore profiles, ClientDatabases databases, ProfileWriting writing, SegmentMembers members, Segments segments, SegmentExplorer explorer,
                           Messages messages, DirectSends sender, Templates templates, EventLog events, JourneyLedger ledger,
                           PromoPools promo, NetworkGuard guard, Clock clock, int defaultHour) {}

    private static final int MAX_ANSWER = 256 * 1024;

    private final Services s;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final FeelEngineApi feel = FeelEngineBuilder.forJava().build();
    private final Duration httpTimeout;

    public NodeWorkers(Services services, Duration httpTimeout) {
        this.s = services;
        this.httpTimeout = httpTimeout;
    }

    /** Registers every task node's handler with the runtime. */
    public JourneyRuntime install(JourneyRuntime runtime) {
        return runtime.handle("send-message", this::send)
                .handle("check-condition", this::condition)
                .handle("import", this::copy)
                .handle("update-profile", this::update)
                .handle("subscription", this::subscription)
                .handle("http-request", this::call)
                .handle("goal", this::goal)
                .handle("best-time", this::bestTime)
                .handle("split", NodeWorkers::split)
                .handle("filter", this::filter)
                .handle("promo-code", this::promo)
                .handle("stop-list", this::stopList)
                .handle("static-segment", this::staticSegment);
    }

    private Profile profile(NodeJob job) {
        return s.profiles().find(job.instance().databaseId(), job.instance().profileId())
                .orElseThrow(() -> new NotFoundException("profile", job.instance().profileId()));
    }

    private Map<String, Object> send(NodeJob job) {
        Profile p = profile(job);
        Message m = s.messages().find(job.journey().workspaceId(), job.setting("messageId"))
                .orElseThrow(() -> new NotFoundException("message", job.setting("messageId")));
        List<SendChannel> channels = Arrays.stream(job.setting("channels").split("\\s*,\\s*")).map(SendChannel::fromId).toList();
        List<DirectSends.Sent> sent = s.sender().journey(job.journey().workspaceId(), job.instance().journeyId(), job.node().id(), m, p, channels,
                job.setting("resource"), job.variables(), "jny-" + job.key());
        return Map.of("sent", sent.stream().filter(x -> x.state() != LedgerState.SKIPPED).count());
    }

    private Map<String, Object> condition(NodeJob job) {
        String segment = job.setting("segment");
        boolean yes;
        if (segment != null) {
            yes = s.members().segmentsOf(job.instance().databaseId(), job.instance().profileId()).contains(segment);
        } else {
            Condition c = Json.read(job.setting("condition"), Condition.class);
            yes = s.explorer().matches(job.instance().databaseId(), c, job.instance().profileId());
        }
        return Map.of("branch", yes ? "yes" : "no");
    }

    private Map<String, Object> copy(NodeJob job) {
        Profile p = profile(job);
        // the node names the database as its workspace knows it; never another workspace's
        ClientDatabase target = s.databases().resolve(job.journey().workspaceId(), job.setting("database"))
                .orElseThrow(() -> new IllegalStateException("no database " + job.setting("database") + " in this workspace"));
        Map<String, Object> fields = new LinkedHashMap<>();
        String mapping = job.setting("fields");
        if (mapping != null) {
            Json.readMap(mapping).forEach((to, from) -> fields.put(to, p.field(String.valueOf(from))));
        } else {
            for (FieldDefinition f : target.schema().fields()) {
                if (p.fields().containsKey(f.name())) {
                    fields.put(f.name(), p.field(f.name()));
                }
            }
        }
        String matching = target.schema().uniqueFields().stream().map(FieldDefinition::name).filter(n -> fields.get(n) != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("the profile has no value for any unique field of database " + target.id()));
        String copied = s.writing().write(target, new ProfileChange(matching, fields.get(matching), fields, null, null, null), WriteMode.UPSERT,
                ProfileSource.JOURNEY).profile().id();
        return Map.of("copiedProfileId", copied);
    }

    private Map<String, Object> update(NodeJob job) {
        Profile p = profile(job);
        Map<String, Object> data = templateData(job, p);
        Map<String, Object> fields = new LinkedHashMap<>();
        Json.readMap(job.setting("fields")).forEach((k, v) -> fields.put(k, v instanceof String t && t.contains("{") ? render(t, data) : v));
        s.writing().write(s.databases().get(p.databaseId()), new ProfileChange("id", p.id(), fields, null, null, null), WriteMode.UPDATE,
                ProfileSource.JOURNEY);
        return Map.of();
    }

    private Map<String, Object> subscription(NodeJob job) {
        Profile p = profile(job);
        Channel channel = Messages.channelOf(job.setting("channel"));
        String status = switch (job.setting("action")) {
            case "subscribe" -> "active";
            case "unsubscribe" -> "unsubscribed";
            default -> "suspended";
        };
        return changeSubscriptions(p, x -> x.channel() == channel && (job.setting("resource") == null || x.resource().equals(job.setting("resource"))),
                status);
    }

    private Map<String, Object> stopList(NodeJob job) {
        Profile p = profile(job);
        Channel channel = job.setting("channel") == null ? null : Messages.channelOf(job.setting("channel"));
        boolean add = job.setting("action").equals("add");
        // the stop-list is the subscriptions' "suspended" state: nothing but a transactional send reaches them
        return changeSubscriptions(p, x -> (channel == null || x.channel() == channel)
                && (add ? x.status() == Subscription.Status.ACTIVE : x.status() == Subscription.Status.SUSPENDED), add ? "suspended" : "active");
    }

    private Map<String, Object> changeSubscriptions(Profile p, Predicate<Subscription> which, String status) {
        List<ProfileChange.SubscriptionInput> changes = new ArrayList<>();
        for (Subscription x : p.subscriptions()) {
            if (which.test(x)) {
                changes.add(new ProfileChange.SubscriptionInput(x.channel().id(), x.address(), x.resource(), status));
            }
        }
        if (!changes.isEmpty()) {
            s.writing().write(s.databases().get(p.databaseId()), new ProfileChange("id", p.id(), Map.of(), changes, null, null), WriteMode.UPDATE,
                    ProfileSource.JOURNEY);
        }
        return Map.of("subscriptionsChanged", changes.size());
    }

    private Map<String, Object> staticSegment(NodeJob job) {
        s.segments().changeStatic(job.setting("segment"), List.of(job.instance().profileId()), job.setting("action").equals("add"));
        return Map.of();
    }

    private Map<String, Object> goal(NodeJob job) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("journey", job.instance().journeyId());
        props.put("node", job.node().id());
        props.put("goal", job.setting("goal"));
        String value = job.setting("value");
        if (value != null) {
            String v = value.contains("{") ? render(value, templateData(job, profile(job))) : value;
            try {
                props.put("value", new BigDecimal(v.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the goal's value is not a number: '" + v + "'", e);
            }
        }
        // the conversion is the last message's before it (on the instance's path)
        List<String> path = s.ledger().path(job.instance().id());
        String attributedTo = null;
        for (int k = path.size() - 1; k >= 0 && attributedTo == null; k--) {
            String at = path.get(k);
            attributedTo = job.journey().journey().nodes().stream().filter(n -> n.id().equals(at) && n.type().equals("send-message"))
                    .map(Journey.Node::id).findFirst().orElse(null);
        }
        if (attributedTo != null) {
            props.put("attributed_to", attributedTo);
        }
        // the event's id is the instance and node: a repeated job records the goal once in the history
        s.events().append(List.of(new Event("goal-" + job.key(), job.instance().databaseId(), job.instance().profileId(), "journey.goal", null,
                s.clock().instant(), props)));
        s.ledger().converted(job.instance().id(), job.node().id(), attributedTo);
        return Map.of();
    }

    /**
     * The hour of the day the profile opened or clicked most in the channel (its last 200 such
     * events), else the node's fallback hour, else the workspace default — the next time that
     * hour comes in the profile's time zone ({@link ProfileZone}).
     */
    private Map<String, Object> bestTime(NodeJob job) {
        Profile p = profile(job);
        ZoneId zone = ProfileZone.of(p);
        int[] byHour = new int[24];
        for (Event e : s.events().history(new HistoryQuery(p.databaseId(), p.id(), Set.of("message.opened", "message.clicked"),
                job.setting("channel"), null, null, null, null, 200))) {
            byHour[e.time().atZone(zone).getHour()]++;
        }
        int best = -1;
        for (int h = 0; h < 24; h++) {
            if (byHour[h] > 0 && (best < 0 || byHour[h] > byHour[best])) {
                best = h;
            }
        }
        String fallback = job.setting("fallbackHour");
        int hour = best >= 0 ? best : fallback != null ? Integer.parseInt(fallback) : s.defaultHour();
        ZonedDateTime now = s.clock().instant().atZone(zone);
        ZonedDateTime at = now.withHour(hour).withMinute(0).withSecond(0).withNano(0);
        if (!at.isAfter(now)) {
            at = at.plusDays(1);
        }
        return Map.of("bestTime", at.toInstant().toString(), "bestHour", hour);
    }

    /** A draw that is the same for the same instance and node (a retried job goes the same way). */
    static Map<String, Object> split(NodeJob job) {
        String[] parts = job.setting("shares").split("\\s*,\\s*");
        int draw = Math.floorMod(job.key().hashCode() * 0x9E3779B1, 100);
        int sum = 0;
        for (int i = 0; i < parts.length; i++) {
            sum += Integer.parseInt(parts[i]);
            if (draw < sum) {
                return Map.of("branch", String.valueOf((char) ('A' + i)));
            }
        }
        return Map.of("branch", String.valueOf((char) ('A' + parts.length - 1)));
    }

    /** A FEEL expression over the instance's variables (the data it was started with at the top level). */
    private Map<String, Object> filter(NodeJob job) {
        String expression = job.setting("condition");
        EvaluationResult r = feel.evaluate(parsed(expression), job.variables());
        if (!r.isSuccess()) {
            throw new IllegalArgumentException("filter '" + expression + "' failed: " + r.failure().message());
        }
        if (!(r.result() instanceof Boolean b)) {
            throw new IllegalArgumentException("filter '" + expression + "' gave " + r.result() + ", not true or false");
        }
        return Map.of("branch", b ? "yes" : "no");
    }

    /** A filter's expression parsed once (parsing costs more than evaluating); at most {@link #MOST_PARSED} kept. */
    private ParsedExpression parsed(String expression) {
        ParsedExpression p = parsedFilters.get(expression);
        if (p == null) {
            ParseResult r = feel.parseExpression(expression.startsWith("=") ? expression.substring(1) : expression);
            if (!r.isSuccess()) {
                throw new IllegalArgumentException("filter '" + expression + "' does not parse: " + ((FailedParseResult) r).failure().message());
            }
            p = r.parsedExpression();
            if (parsedFilters.size() >= MOST_PARSED) {
                parsedFilters.clear();
            }
            parsedFilters.put(expression, p);
        }
        return p;
    }

    private static final int MOST_PARSED = 1000;
    private final Map<String, ParsedExpression> parsedFilters = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, Object> promo(NodeJob job) {
        // the node's key: a job handed out again gets the code it got before
        PromoPools.Issued issued = s.promo().issue(job.journey().workspaceId(), job.setting("pool"),
                List.of(new PromoStore.Claim(job.key(), job.instance().databaseId(), job.instance().profileId())));
        PromoStore.Code code = issued.codes().get(job.key());
        if (code == null) {
            throw new IllegalStateException(issued.refusal());
        }
        return Map.of(job.setting("resultVariable") == null ? "promo" : job.setting("resultVariable"), code.code());
    }

    /**
     * Calls any API: URL and body are Liquid templates over the profile and the journey's data;
     * private networks are refused unless allowed; an answer other than 2xx, a timeout or (with
     * {@code resultVariable}) an answer that is not JSON fails the job.
     */
    private Map<String, Object> call(NodeJob job) throws Exception {
        Profile p = profile(job);
        Map<String, Object> data = templateData(job, p);
        URI url = URI.create(render(job.setting("url"), data).strip());
        if (url.getHost() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("url: an http(s) URL with a host, got " + url);
        }
        s.guard().check(url.getHost());
        String body = job.setting("body") == null ? null : render(job.setting("body"), data);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(httpTimeout)
                .method(job.setting("method"), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (job.setting("headers") != null) {
            Json.readMap(job.setting("headers")).forEach((k, v) -> request.header(k, String.valueOf(v)));
        }
        request.header("Idempotency-Key", job.key());
        if (body != null && job.setting("headers") == null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException(url.getHost() + " did not answer within " + httpTimeout.toSeconds() + " s", e);
        }
        byte[] bytes;
        try (InputStream in = answer.body()) {
            bytes = in.readNBytes(MAX_ANSWER + 1);
        }
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(url.getHost() + " answered HTTP " + answer.statusCode());
        }
        Map<String, Object> out = new HashMap<>();
        out.put("httpStatus", answer.statusCode());
        String into = job.setting("resultVariable");
        if (into != null) {
            if (bytes.length > MAX_ANSWER) {
                throw new IOException("the answer is larger than " + MAX_ANSWER / 1024 + " KB");
            }
            try {
                out.put(into, Json.MAPPER.readValue(new String(bytes, StandardCharsets.UTF_8), Object.class));
            } catch (JacksonException e) {
                throw new IOException("the answer of " + url.getHost() + " is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return out;
    }

    private static Map<String, Object> templateData(NodeJob job, Profile p) {
        Map<String, Object> data = new HashMap<>(Messages.profileData(p, null));
        data.put("data", job.variables());
        data.put("journey", Map.of("id", job.instance().journeyId(), "instance", job.instance().id()));
        return data;
    }

    private String render(String template, Map<String, Object> data) {
        return s.templates().render(template, data, Map.of()).output();
    }
}
