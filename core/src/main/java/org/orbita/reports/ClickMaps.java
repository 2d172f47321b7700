package org.orbita.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.content.Message;
import org.orbita.content.Messages;

/**
 * The click map (N11): an email as written, each of its links marked with the people who clicked
 * it, its clicks and its share of the message's clicks — the figures of the links report for the
 * message, summed over its campaigns and sends. The page is meant for a sandboxed frame (no
 * script runs in it); machines' clicks never count.
 */
public final class ClickMaps {

    /** A link's figures; {@code inMessage}: whether the version shown has it (clicks may come from another version). */
    public record Link(String url, long people, long clicks, Double share, boolean inMessage) {}

    /** The version shown, its HTML with the marks, every clicked link, the message's clickers and clicks, the moment it is as of. */
    public record ClickMap(String messageId, String name, long version, String html, List<Link> links, long people, long clicks, Instant asOf) {}

    private final Reports reports;
    private final Messages messages;
    private final Access access;

    public ClickMaps(Reports reports, Messages messages, Access access) {
        this.reports = reports;
        this.messages = messages;
        this.access = access;
    }

    /** The map of a message's version (null: the current one) over a period (the last 30 days by default). */
    public ClickMap of(String workspaceId, String messageId, Long version, Instant from, Instant to) {
        access.require(Resource.REPORTS, Action.READ);
        if (messageId == null || messageId.isBlank()) {
            throw new InvalidInputException("message", messageId, "the message whose clicks to draw");
        }
        Message m = version == null ? messages.find(workspaceId, messageId).orElseThrow(() -> new NotFoundException("message", messageId))
                : messages.version(workspaceId, messageId, version);
        if (m.email() == null || m.email().html() == null) {
            throw new InvalidInputException("message", messageId, "has no email HTML to draw clicks on");
        }
        Report r = reports.run(workspaceId, ReportKind.LINKS, ReportQuery.of(ReportKind.LINKS, Instant.now(), from, to, null, null, null, null,
                messageId, List.of("link"), false));
        Map<String, Report.Row> byUrl = new HashMap<>();
        r.rows().forEach(row -> byUrl.put(row.keys().get(0), row));
        long clicks = Math.round(r.totals().getOrDefault(Metric.CLICKS.id(), 0.0));
        Document doc = Jsoup.parse(html(m));
        Set<String> shown = new LinkedHashSet<>();
        for (Element a : doc.select("a[href]")) {
            String url = a.attr("href");
            if (!url.toLowerCase(Locale.ROOT).startsWith("http")) {
                continue;
            }
            shown.add(url);
            Report.Row row = byUrl.get(url);
            long people = row == null ? 0 : Math.round(row.values().getOrDefault(Metric.CLICKED.id(), 0.0));
            long n = row == null ? 0 : Math.round(row.values().getOrDefault(Metric.CLICKS.id(), 0.0));
            Double share = Rate.percent(n, clicks);
            a.attr("data-orbita-clicks", String.valueOf(n));
            a.after(new Element("span").addClass("orbita-click-mark").attr("title", url)
                    .attr("style", "background:" + heat(share)).text(people + " · " + n + (share == null ? "" : " · " + share + " %")));
        }
        doc.head().appendElement("style").text("""
                .orbita-click-mark{display:inline-block;color:#fff;font:bold 11px/1.5 sans-serif;border-radius:9px;padding:0 7px;margin:0 3px;
                vertical-align:middle;white-space:nowrap}a[data-orbita-clicks]{outline:2px dashed #c2185b;outline-offset:1px}""");
        List<Link> links = new ArrayList<>();
        for (String url : shown) {
            Report.Row row = byUrl.get(url);
            long n = row == null ? 0 : Math.round(row.values().getOrDefault(Metric.CLICKS.id(), 0.0));
            links.add(new Link(url, row == null ? 0 : Math.round(row.values().getOrDefault(Metric.CLICKED.id(), 0.0)), n, Rate.percent(n, clicks), true));
        }
        for (Report.Row row : r.rows()) {
            if (!shown.contains(row.keys().get(0))) {
                long n = Math.round(row.values().getOrDefault(Metric.CLICKS.id(), 0.0));
                links.add(new Link(row.keys().get(0), Math.round(row.values().getOrDefault(Metric.CLICKED.id(), 0.0)), n, Rate.percent(n, clicks), false));
            }
        }
        return new ClickMap(m.id(), m.name(), m.version(), doc.outerHtml(), links, Math.round(r.totals().getOrDefault(Metric.CLICKED.id(), 0.0)),
                clicks, r.asOf());
    }

    /** The email as a preview renders it (no recipient's data); the template as written when it needs data to render. */
    private String html(Message m) {
        try {
            return messages.render(m, Map.of(), List.of("email"), Map.of(), null).email().html();
        } catch (InvalidInputException e) {
            return m.email().html();
        }
    }

    /** A mark's colour: from grey (no clicks) through to deep red (most of the clicks). */
    private static String heat(Double share) {
        if (share == null || share == 0) {
            return "#8a8f98";
        }
        double x = Math.min(1, share / 50);
        int r = (int) (0xe8 + (0xb0 - 0xe8) * x);
        int g = (int) (0x8c + (0x10 - 0x8c) * x);
        int b = (int) (0x1a + (0x4a - 0x1a) * x);
        return String.format("#%02x%02x%02x", r, g, b);
    }
}
