package org.orbita.sending;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;
import org.orbita.content.Links;

/**
 * Links of outgoing messages made trackable: every http(s) link through a signed click link
 * (the platform's own links — unsubscribe, web view — stay as they are, and so does a link whose
 * tag says {@value #NO_TRACKING}, such as a password link), and the open pixel.
 */
public final class LinkTracking {

    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*\"(https?://[^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTTP = Pattern.compile("(?i)https?://.+");

    /** The attribute of an {@code <a>} tag whose link must reach the recipient as written (not through a click link). */
    public static final String NO_TRACKING = "data-orbita-notrack";

    private final Links links;

    public LinkTracking(Links links) {
        this.links = links;
    }

    /** An http(s) link through a signed click link; others (app deep links, our own links) as they are. */
    public String tracked(String url, Links.Context link) {
        return url != null && HTTP.matcher(url).matches() && !links.isOurs(link.workspaceId(), url) ? links.click(link, url) : url;
    }

    /**
     * Every http(s) link of the HTML through a signed click link. A plain scan for
     * {@code href="http…"} inside {@code <a …>} tags: a pattern that also matched the tag cost
     * most of a send's time.
     */
    public String trackClicks(String html, Links.Context link) {
        Matcher m = null;
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
            if (m.find() && !untracked(html, open, close)) {
                String url = Parser.unescapeEntities(m.group(1), true);
                if (!links.isOurs(link.workspaceId(), url)) {
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

    /** Whether the tag between these offsets carries {@link #NO_TRACKING} (any case). */
    private static boolean untracked(String html, int open, int close) {
        for (int i = open; i + NO_TRACKING.length() <= close; i++) {
            if ((html.charAt(i) | 0x20) == 'd' && html.regionMatches(true, i, NO_TRACKING, 0, NO_TRACKING.length())) {
                return true;
            }
        }
        return false;
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

    /** The HTML with its open pixel, last in the body. */
    public String withPixel(String html, Links.Context link) {
        return withPixel(html, links.open(link));
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

    public String unsubscribe(Links.Context link) {
        return links.unsubscribe(link);
    }
}
