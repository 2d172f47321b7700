package org.orbita.sites;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A site's tag container (the tag manager): a draft — {@link Content}: variables, triggers, tags —
 * that people edit, numbered versions made from it that never change, and which version the
 * site's pages run ({@code published}; null before the first publication). Publishing an older
 * version is a rollback; {@code publications} keeps every one, newest last.
 */
public record TagContainer(String id, String workspaceId, String siteId, String name, Content draft, Integer published, int versions,
                           List<Publication> publications, Instant createdAt, Instant updatedAt) {

    public TagContainer {
        draft = draft == null ? Content.EMPTY : draft;
        publications = publications == null ? List.of() : List.copyOf(publications);
    }

    /** What a container holds: what tags read ({@code variables}), when they fire ({@code triggers}), what they do ({@code tags}). */
    public record Content(List<Variable> variables, List<Trigger> triggers, List<Tag> tags) {

        public static final Content EMPTY = new Content(List.of(), List.of(), List.of());

        public Content {
            variables = variables == null ? List.of() : List.copyOf(variables);
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /**
     * A value tags and conditions read as {@code {{name}}}: {@code url} (its {@code part}: href,
     * host, path, query — the parameter {@code key} —, fragment, protocol), {@code cookie} (named
     * {@code key}), {@code datalayer} (the value at the dotted path {@code key} of what the page
     * pushed), {@code js} (the global at the dotted path {@code key}; read, never evaluated) or
     * {@code constant} ({@code value}). For the others {@code value} is the default when there is none.
     */
    public record Variable(String name, String kind, String part, String key, String value) {}

    /** A test on a variable: {@code operator} is one of {@link TagContainers#OPERATORS}. */
    public record Condition(String variable, String operator, String value) {}

    /**
     * When tags fire. {@code kind}: {@code page} (every page view, SPA changes included), {@code click}
     * and {@code submit} (on an element matching {@code selector}, any when empty), {@code scroll}
     * (the page scrolled past each of {@code thresholds} percent), {@code timer} (every
     * {@code interval} ms on a page, at most {@code limit} times), {@code event} (a {@code dataLayer}
     * or {@code orbita('track')} event named {@code event}; {@code match} {@code equals} or
     * {@code regex}), {@code visibility} (an element matching {@code selector} at least
     * {@code percent}% in view, once per element and page) — and all {@code conditions} hold.
     */
    public record Trigger(String id, String name, String kind, String selector, String event, String match, List<Integer> thresholds,
                          Integer interval, Integer limit, Integer percent, List<Condition> conditions) {

        public Trigger {
            thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    /**
     * What runs on the page when one of its {@code firing} triggers fires and none of its
     * {@code blocking} ones does, once every consent category in {@code consent} is granted (a tag
     * waiting for consent runs the moment it is given). {@code kind}: {@code html} (custom HTML
     * and script; {@code {{variables}}} go in as text, and as JavaScript string literals inside
     * scripts), {@code image} (a pixel request to {@code url}), {@code event} (an Orbita event
     * {@code event} with {@code properties}: it reaches segments, trigger campaigns and journeys),
     * or a template — {@code ga4}, {@code meta-pixel}, {@code yandex-metrica} — with its
     * {@code account}, or {@code popup}: the pop-up {@code account} names is offered (shown as its
     * frequency and the site's pop-up budget allow). {@code once}: {@code event} (each time a trigger fires) or {@code page}.
     */
    public record Tag(String id, String name, String kind, String html, String url, String event, Map<String, String> properties,
                      String account, List<String> firing, List<String> blocking, List<String> consent, String once, boolean paused) {

        public Tag {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
            firing = firing == null ? List.of() : List.copyOf(firing);
            blocking = blocking == null ? List.of() : List.copyOf(blocking);
            consent = consent == null ? List.of() : List.copyOf(consent);
        }
    }

    /** A version put live (or back live: a rollback), when and by whom. */
    public record Publication(int version, Instant at, String by) {}

    /** A numbered, unchanging copy of a container's draft. */
    public record Version(String id, String containerId, int number, String note, Content content, Instant createdAt, String createdBy) {}
}
