package org.orbita.popups;

import java.time.Instant;
import java.util.List;

/**
 * A pop-up of a site: how it is shown ({@code kind}: {@code modal}, {@code slide-in}, {@code bar},
 * {@code full-screen}; {@code position} for slide-ins and bars), its variants (A/B: one picked per
 * visitor by weight and kept), when it appears ({@link Trigger}) and how often ({@link Frequency}).
 * Each variant's HTML, CSS and script run in a sandboxed frame of their own (no access to the
 * site's page, cookies or the platform); an Orbita form of the same database may stand in it.
 * Its {@code id} is public: the site's script and the events carry it.
 */
public record Popup(String id, String workspaceId, String site, String name, String kind, String position, List<Variant> variants, Trigger trigger,
                    Frequency frequency, boolean published, Instant createdAt, Instant updatedAt) {

    public Popup {
        variants = variants == null ? List.of() : List.copyOf(variants);
    }

    /**
     * One version of the pop-up's content: {@code template} it was made from (reports group by it),
     * its {@code html}, {@code css} and {@code script}, an optional {@code form} (an Orbita form's id:
     * drawn where the HTML says {@code {{form}}}), its {@code width} in pixels (modals and slide-ins)
     * and its share of visitors ({@code weight}).
     */
    public record Variant(String id, String template, String html, String css, String script, String form, Integer width, Integer weight) {}

    /**
     * When the pop-up appears: {@code on} {@code load} (at once), {@code delay} ({@code seconds}
     * after the page opened), {@code scroll} ({@code percent} of the page), {@code exit} (the
     * pointer leaves toward the browser's bar), {@code inactivity} ({@code seconds} without input),
     * or {@code manual} (only by {@code orbita('popup', 'show', id)} or a tag); and only where all of:
     * at least {@code pages} pages seen in the visit, the page matching {@code urls} (none: every page;
     * an exclusion wins), the {@code device} ({@code any}, {@code desktop}, {@code mobile}), the
     * {@code visitor} ({@code any}, {@code new}, {@code returning}), and, when {@code segment} is set,
     * the visitor identified as a member of that segment.
     */
    public record Trigger(String on, Integer seconds, Integer percent, Integer pages, List<UrlRule> urls, String device, String visitor,
                          String segment) {

        public static final Trigger DEFAULT = new Trigger("delay", 5, null, null, List.of(), "any", "any", null);

        public Trigger {
            urls = urls == null ? List.of() : List.copyOf(urls);
        }
    }

    /** A page rule: the address {@code contains}, {@code equals} or {@code matches} (a regular expression) {@code value}; {@code exclude}: never there. */
    public record UrlRule(String match, String value, boolean exclude) {}

    /**
     * How often one visitor sees it: {@code always} (each time its trigger fires on a page),
     * {@code once}, once per {@code session}, or once every {@code minutes}; never again after it
     * converted when {@code stopAfterConversion}.
     */
    public record Frequency(String mode, Integer minutes, boolean stopAfterConversion) {
        public static final Frequency DEFAULT = new Frequency("session", null, true);
    }

    /**
     * What all the pop-ups of one site share: at most {@code perSession} shown in a visit (0: no
     * limit) and at least {@code gapSeconds} between two of them.
     */
    public record Budget(String site, int perSession, int gapSeconds) {}

    public java.util.Optional<Variant> variant(String variantId) {
        return variants.stream().filter(v -> v.id().equals(variantId)).findFirst();
    }
}
