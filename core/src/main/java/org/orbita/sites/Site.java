package org.orbita.sites;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A website a workspace tracks: the domains its pages may report from (the collection endpoint
 * answers other origins 403), the database its visitors become profiles in, how consent works
 * there, whether bots are dropped, what the snippet may identify visitors by and which fields it
 * may write, and its goals. Its {@code id} is public: the snippet carries it.
 */
public record Site(String id, String workspaceId, String name, List<String> domains, String database, Consent consent,
                   boolean filterBots, List<String> identifyBy, List<String> traits, List<Goal> goals, Instant createdAt,
                   Instant updatedAt) {

    public Site {
        domains = domains == null ? List.of() : List.copyOf(domains);
        identifyBy = identifyBy == null ? List.of() : List.copyOf(identifyBy);
        traits = traits == null ? List.of() : List.copyOf(traits);
        goals = goals == null ? List.of() : List.copyOf(goals);
        consent = consent == null ? Consent.NONE : consent;
    }

    /**
     * How a site asks for consent: {@code none} tracks from the first page; {@code opt-in}
     * stores nothing and sends nothing until the visitor agrees; {@code opt-out} tracks until
     * they refuse.
     */
    public enum Consent {
        NONE, OPT_IN, OPT_OUT;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Consent fromId(String id) {
            for (Consent c : values()) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("must be none, opt-in or opt-out");
        }
    }

    /**
     * A goal: what reaching it means ({@code kind}: {@code page} — a URL containing, equal to or
     * matching {@code rule}; {@code click} or {@code submit} — an element matching the CSS selector
     * {@code rule}; {@code event} — a custom event named {@code rule}; {@code scroll} — a page
     * scrolled to {@code rule} percent; {@code time} — {@code rule} seconds on a page) and its value.
     */
    public record Goal(String id, String name, String kind, String rule, String match, double value) {}

    /** Whether a page of this host may report to the site: one of its domains, or a subdomain of one. */
    public boolean allows(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String d : domains) {
            if (h.equals(d) || h.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    public java.util.Optional<Goal> goal(String goalId) {
        return goals.stream().filter(g -> g.id().equals(goalId)).findFirst();
    }
}
