package org.orbita.journeys;

import static org.orbita.journeys.NodeType.Setting.choice;
import static org.orbita.journeys.NodeType.Setting.optional;
import static org.orbita.journeys.NodeType.Setting.required;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbita.journeys.NodeType.Shape;

/** Every journey node (FEATURES J3), in the order the builder's palette shows them. */
public final class NodeCatalog {

    private static final Map<String, NodeType> NODES = new LinkedHashMap<>();

    static {
        add(new NodeType("start", "Start", Shape.START, List.of(
                choice("entry", "Entry", true, List.of("event", "segment", "api", "schedule"), "how profiles enter the journey"),
                optional("event", "Event type", "string", "for entry by event, e.g. cart.abandoned"),
                optional("segment", "Segment", "segment", "for entry by segment (on entering it) or on a schedule (its members)"),
                optional("schedule", "Schedule", "cron", "for entry on a schedule: a six-field cron"),
                choice("reentry", "Re-entry", false, List.of("never", "after", "always"), "whether a profile may enter again"),
                optional("reentryDays", "Re-entry after (days)", "number", "with re-entry 'after'")), List.of(),
                "How profiles enter: an event, entering a segment, the API, or a schedule for a segment."));
        add(new NodeType("pause", "Pause", Shape.TIMER, List.of(
                optional("duration", "Wait for", "duration", "an ISO-8601 duration, e.g. P1D or PT2H"),
                optional("until", "Wait until", "datetime", "an ISO-8601 date and time, e.g. 2026-12-01T10:00:00Z")), List.of(),
                "Waits a while, or until a date (give one of the two)."));
        add(new NodeType("wait-event", "Wait for an event", Shape.EVENT_WAIT, List.of(
                required("event", "Event type", "string", "the event of the profile that ends the wait, e.g. purchase"),
                optional("timeout", "Give up after", "duration", "an ISO-8601 duration; the 'timeout' branch goes on")), List.of("event", "timeout"),
                "Waits for the profile's event; with a timeout, the journey goes on by the 'timeout' branch when it does not come."));
        add(new NodeType("send-message", "Send a message", Shape.TASK, List.of(
                required("messageId", "Message", "message", "the message to send"),
                required("channels", "Channels", "channels", "comma-separated: email, sms, push, webpush, telegram, webhook, inapp"),
                optional("resource", "Subscription list", "string", "empty: any active subscription in the channel")), List.of(),
                "Sends a message in its channels through the campaign layer (caps, quiet hours and the send ledger apply)."));
        add(new NodeType("check-condition", "Check a condition", Shape.BRANCHING_TASK, List.of(
                optional("segment", "In segment", "segment", "the profile is in this segment"),
                optional("condition", "Condition", "condition", "a segment condition as JSON, evaluated by the rules engine")),
                List.of("yes", "no"), "Branches on segment membership or a condition (give one of the two)."));
        add(new NodeType("import", "Import into a database", Shape.TASK, List.of(
                required("database", "Database", "database", "the database the profile is copied into"),
                optional("fields", "Fields", "json", "which fields, as {\"target\": \"source\"}; empty: all of the same name")), List.of(),
                "Copies the profile into another database."));
        add(new NodeType("update-profile", "Update profile data", Shape.TASK, List.of(
                required("fields", "Fields", "json", "the fields to set, as JSON; values may be Liquid templates")), List.of(),
                "Sets profile fields."));
        add(new NodeType("subscription", "Manage subscriptions", Shape.TASK, List.of(
                required("channel", "Channel", "channel", "the subscription's channel"),
                choice("action", "Action", true, List.of("subscribe", "unsubscribe", "suspend"), "what to do"),
                optional("resource", "Subscription list", "string", "the list (resource)")), List.of(),
                "Subscribes, unsubscribes or suspends the profile in a channel."));
        add(new NodeType("http-request", "HTTP request", Shape.TASK, List.of(
                choice("method", "Method", true, List.of("GET", "POST", "PUT", "PATCH", "DELETE"), "the HTTP method"),
                required("url", "URL", "template", "a Liquid template; private networks refused unless allowed"),
                optional("headers", "Headers", "json", "as JSON"),
                optional("body", "Body", "template", "a Liquid template"),
                optional("resultVariable", "Answer into", "string", "the variable the JSON answer is kept in")), List.of(),
                "Calls any API; the answer can go into the journey's variables."));
        add(new NodeType("goal", "Register a goal", Shape.TASK, List.of(
                required("goal", "Goal", "string", "its name, counted as the journey's conversion"),
                optional("value", "Value", "template", "revenue, a number or a template")), List.of(),
                "Counts a conversion of the journey."));
        add(new NodeType("best-time", "Best time to deliver", Shape.TASK, List.of(
                required("channel", "Channel", "channel", "the channel whose opens and clicks tell the hour"),
                optional("fallbackHour", "Otherwise at (hour)", "number", "0–23 in the profile's time zone when there is no history")), List.of(),
                "Waits until the hour the profile usually opens or clicks."));
        add(new NodeType("split", "Split", Shape.BRANCHING_TASK, List.of(
                required("shares", "Shares", "string", "percentages per branch, e.g. 50,50 or 80,10,10")), List.of("A", "B", "C", "D", "E"),
                "Sends each profile down one branch by a draw (A/B)."));
        add(new NodeType("filter", "Filter by data", Shape.BRANCHING_TASK, List.of(
                required("condition", "Condition", "expression", "a FEEL expression over the data given at the start, e.g. order.total > 100")),
                List.of("yes", "no"), "Branches on the data passed when the journey was started by the API."));
        add(new NodeType("promo-code", "Issue a promo code", Shape.TASK, List.of(
                required("pool", "Code pool", "string", "the pool to take a code from"),
                optional("resultVariable", "Code into", "string", "the variable the code is kept in (promo by default)")), List.of(),
                "Takes a code from a pool for the profile."));
        add(new NodeType("stop-list", "Stop-list", Shape.TASK, List.of(
                choice("action", "Action", true, List.of("add", "remove"), "add the profile's addresses to the stop-list, or take them off"),
                optional("channel", "Channel", "channel", "empty: every channel")), List.of(),
                "Adds the profile to the stop-list, or takes it off."));
        add(new NodeType("static-segment", "Static segment", Shape.TASK, List.of(
                required("segment", "Segment", "segment", "a static segment"),
                choice("action", "Action", true, List.of("add", "remove"), "put the profile in, or take it out")), List.of(),
                "Adds the profile to a static segment, or removes it."));
        add(new NodeType("exit", "Exit", Shape.EXIT, List.of(), List.of(), "The end of the journey."));
    }

    private NodeCatalog() {}

    private static void add(NodeType t) {
        NODES.put(t.id(), t);
    }

    public static List<NodeType> all() {
        return List.copyOf(NODES.values());
    }

    public static Optional<NodeType> find(String id) {
        return Optional.ofNullable(id == null ? null : NODES.get(id));
    }

    /** The node type whose workers take this job type ({@code orbita.send-message}). */
    public static Optional<NodeType> byJobType(String jobType) {
        return jobType != null && jobType.startsWith("orbita.") ? find(jobType.substring(7)).filter(t -> t.jobType() != null) : Optional.empty();
    }
}
