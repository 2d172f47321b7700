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
 * it, its clicks and its share of the version's clicks — the figures of the links report for the
 * message's version, summed over its campaigns and sends, of every device or one. The page is meant for a sandboxed frame (no
 * script runs in it); machines' clicks never count.
 */
public final class ClickMaps {

    /** A link's figures; {@code inMessage}: whether the HTML as previewed has it (a link a recipient's data made is clicked but not drawn). */
    public record Link(String url, long people, long clicks, Double share, boolean inMessage) {}

    /** The version shown, the device (null: all), its HTML with the marks, every clicked link, the version's clickers and clicks, the moment it is as of. */
    public record ClickMap(String messageId, String name, long version, String device, String html, List<Link> links, long people, long clicks, Instant asOf) {}

    /** The devices a map may be drawn for: every one but machines. */
    public static final List<String> PEOPLES_DEVICES = org.orbita.tracking.UserAgents.DEVICES.stream().filter(d -> !d.equals("machine")).toList();

    private final Reports reports;
    private final Messages messages;
    private final Access access;

    public ClickMaps(Reports reports, Messages messages, Access access) {
        this.reports = reports;
        this.messages = messages;
        this.access = access;
    }

    /**
     * The map of a message's version (null: the current one) over a period (the last 30 days by
     * default): the clicks on that version's sends, summed over its campaigns; {@code device}
     * (desktop, mobile, tablet, unknown; null: all) keeps one kind of device's clicks.
     */
    public ClickMap of(String workspaceId, String messageId, Long version, String device, Instant from, Instant to) {
        access.require(Resource.REPORTS, Action.READ);
        if (messageId == null || messageId.isBlank()) {
            throw new InvalidInputException("message", messageId, "the message whose clicks to draw");
        }
        if (device != null && !PEOPLES_DEVICES.contains(device)) {
            throw new InvalidInputException("device", device, "one of " + PEOPLES_DEVICES + " (machines' clicks never count)");
        }
        Message m = version == null ? messages.find(workspaceId, messageId).orElseThrow(() -> new NotFoundException("message", messageId))
                : messages.version(workspaceId, messageId, version);
        if (m.email() == null || m.email().html() == null) {
            throw new InvalidInputException("message", messageId, "has no email HTML to draw clicks on");
        }
        // grouped by version (and device) and the shown one's rows kept: people stay distinct per link and in all
        List<String> mine = device == null ? List.of(String.valueOf(m.version())) : List.of(String.valueOf(m.version()), device);
        List<String> by = device == null ? List.of("version") : List.of("version", "device");
        List<Report.Row> linkRows = reports.run(workspaceId, ReportKind.LINKS, ReportQuery.of(ReportKind.LINKS, Instant.now(), from, to, null, null,
                null, null, messageId, concat("link", by), false)).rows().stream().filter(row -> row.keys().subList(1, row.keys().size()).equals(mine))
                .toList();
        Report all = reports.run(workspaceId, ReportKind.LINKS, ReportQuery.of(ReportKind.LINKS, Instant.now(), from, to, null, null, null, null,
                messageId, by, false));
        Report.Row total = all.rows().stream().filter(row -> row.keys().equals(mine)).findFirst().orElse(null);
        Map<String, Report.Row> byUrl = new HashMap<>();
        linkRows.forEach(row -> byUrl.put(row.keys().get(0), row));
        long clicks = total == null ? 0 : Math.round(total.values().getOrDefault(Metric.CLICKS.id(), 0.0));
        long clickers = total == null ? 0 : Math.round(total.values().getOrDefault(Metric.CLICKED.id(), 0.0));
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
        for (Report.Row row : linkRows) {
            if (!shown.contains(row.keys().get(0))) {
                long n = Math.round(row.values().getOrDefault(Metric.CLICKS.id(), 0.0));
                links.add(new Link(row.keys().get(0), Math.round(row.values().getOrDefault(Metric.CLICKED.id(), 0.0)), n, Rate.percent(n, clicks), false));
            }
        }
        return new ClickMap(m.id(), m.name(), m.version(), device, doc.outerHtml(), links, clickers, clicks, all.asOf());
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>(List.of(first));
        out.addAll(rest);
        return out;
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
