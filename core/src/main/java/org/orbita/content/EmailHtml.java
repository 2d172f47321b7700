package org.orbita.content;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.Selector;

/**
 * What an email's HTML needs before it leaves: CSS from {@code <style>} blocks inlined into
 * {@code style} attributes (Gmail and Outlook drop or ignore much of a head stylesheet), the
 * preheader as hidden text at the top of the body, and a plain-text part made from the HTML.
 * Rules that cannot be inlined ({@code @media}, {@code @font-face}, pseudo-classes) stay in a
 * {@code <style>} block for the clients that read them.
 *
 * <p>Longer than the ~400 lines we aim for: CSS inlining, the preheader and the text part share
 * one parse of the HTML (what made a full email render 2× faster: BENCHMARKS).
 */
public final class EmailHtml {

    private EmailHtml() {}

    private record Rule(String selector, String declarations, int specificity, int order) {}

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern HIDDEN = Pattern.compile("(?i)display\\s*:\\s*none");
    private static final Set<String> BLOCKS = Set.of("p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
            "section", "article", "header", "footer", "blockquote", "center", "tbody", "thead");
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6");

    /** An email's HTML ready to send and its text part. */
    public record Prepared(String html, String text) {}

    /**
     * Everything a rendered email's HTML needs, from one parse: CSS inlined (when asked), the
     * preheader put first, and the text part made from the result when none is given.
     */
    public static Prepared prepare(String html, String preheader, boolean inline, String text) {
        Document doc = Jsoup.parse(html);
        doc.outputSettings().prettyPrint(false);
        if (inline) {
            inline(doc);
        }
        if (preheader != null && !preheader.isBlank()) {
            preheader(doc, preheader);
        }
        String out = doc.outerHtml();
        return new Prepared(out, text == null || text.isBlank() ? text(doc) : text);
    }

    /** An email template prepared once: its HTML with CSS inlined and the preheader in, and its text part, both still Liquid. */
    public record PreparedTemplate(String html, String text) {}

    private static final Pattern LIQUID = Pattern.compile("\\{\\{.*?\\}\\}|\\{%.*?%\\}", Pattern.DOTALL);
    private static final Pattern UNSAFE_TAGS = Pattern.compile("\\{%-?\\s*(render|include|raw)\\b");
    private static final String MARK = "orbita-liquid:";

    /**
     * Prepares a Liquid email template the way {@link #prepare} prepares a rendered one, once for
     * every recipient: each Liquid tag in text stands in the parse as a comment (which the HTML
     * parser never moves, as it moves stray text out of tables) and is put back after; tags in
     * attribute values stay where they are. Returns null — render first, prepare each result —
     * when the result might not be the same: markup the parser had to mend (any parse error:
     * stray content in a table is moved out of it, which Liquid tags around it would not follow),
     * a tag the parse changed (the tags must come out the same, in the same order), a tag inside {@code <style>}, {@code <title>} or a
     * script, a snippet ({@code render}, {@code include}: its markup would miss the inlining), or
     * {@code raw}.
     */
    public static PreparedTemplate prepareTemplate(String template, String preheader, boolean inline, String text) {
        if (UNSAFE_TAGS.matcher(template).find()) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder marked = new StringBuilder(template.length() + 256);
        Matcher m = LIQUID.matcher(template);
        int copied = 0;
        List<String> inText = new ArrayList<>();
        while (m.find()) {
            tokens.add(m.group());
            marked.append(template, copied, m.start());
            if (insideTag(template, m.start())) {
                marked.append(m.group());
            } else {
                marked.append("<!--").append(MARK).append(inText.size()).append("-->");
                inText.add(m.group());
            }
            copied = m.end();
        }
        marked.append(template, copied, template.length());
        // a parse error means the parser mended the markup (moved stray content out of a table, closed what was left open):
        // mended around Liquid tags that are not there yet, it would not be what mending each result gives
        Parser parser = Parser.htmlParser().setTrackErrors(1);
        Document doc = Jsoup.parse(marked.toString(), "", parser);
        if (!parser.getErrors().isEmpty()) {
            return null;
        }
        doc.outputSettings().prettyPrint(false);
        for (Element raw : doc.select("style, script, title, textarea")) {
            String content = raw.data() + raw.text();
            if (content.contains(MARK) || content.contains("{{") || content.contains("{%")) {
                return null;
            }
        }
        if (inline) {
            inline(doc);
        }
        if (preheader != null && !preheader.isBlank()) {
            preheader(doc, preheader);
        }
        String html = restore(doc.outerHtml(), inText, true);
        if (html == null || !tokensOf(html).equals(tokens)) {
            return null;
        }
        String plain = text;
        if (plain == null || plain.isBlank()) {
            plain = restore(text(doc), inText, false); // hidden elements' tags are left out of the text
            if (plain == null) {
                return null;
            }
        }
        return new PreparedTemplate(html, plain);
    }

    /** Whether a position of the template is inside a tag (between its {@code <} and its {@code >}, quotes minded). */
    private static boolean insideTag(String s, int at) {
        int open = s.lastIndexOf('<', at);
        if (open < 0 || open + 1 >= s.length()) {
            return false;
        }
        char next = s.charAt(open + 1);
        if (!(Character.isLetter(next) || next == '/')) {
            return false;
        }
        char quote = 0;
        for (int i = open + 1; i < at; i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return false;
            }
        }
        return true;
    }

    /** The marks put back as the Liquid they stood for; null when they are out of order, or one is missing and {@code all} are wanted. */
    private static String restore(String out, List<String> inText, boolean all) {
        StringBuilder b = new StringBuilder(out.length() + 256);
        int copied = 0;
        int next = 0;
        int at;
        while ((at = out.indexOf("<!--" + MARK, copied)) >= 0) {
            int end = out.indexOf("-->", at);
            if (end < 0) {
                return null;
            }
            int n;
            try {
                n = Integer.parseInt(out.substring(at + 4 + MARK.length(), end));
            } catch (NumberFormatException e) {
                return null;
            }
            if (all ? n != next : n < next || n >= inText.size()) {
                return null;
            }
            b.append(out, copied, at).append(inText.get(n));
            copied = end + 3;
            next = n + 1;
        }
        b.append(out, copied, out.length());
        return (!all || next == inText.size()) && b.indexOf(MARK) < 0 ? b.toString() : null;
    }

    private static List<String> tokensOf(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = LIQUID.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Inlines the document's stylesheets; declarations already inline win, as in a browser. */
    private static void inline(Document doc) {
        List<Rule> rules = new ArrayList<>();
        StringBuilder kept = new StringBuilder();
        int order = 0;
        for (Element style : doc.select("style")) {
            if (style.hasAttr("data-inline") && "false".equals(style.attr("data-inline"))) {
                continue;
            }
            String css = style.data().replaceAll("(?s)/\\*.*?\\*/", "");
            int i = 0;
            while (i < css.length()) {
                int open = css.indexOf('{', i);
                if (open < 0) {
                    break;
                }
                String selector = css.substring(i, open).strip();
                if (selector.startsWith("@")) {
                    int end = matchingBrace(css, open);
                    kept.append(css, i, end + 1).append('\n');
                    i = end + 1;
                    continue;
                }
                int close = css.indexOf('}', open);
                if (close < 0) {
                    break;
                }
                String declarations = css.substring(open + 1, close).strip();
                for (String one : selector.split(",")) {
                    String s = one.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (s.contains(":")) {
                        kept.append(s).append(" {").append(declarations).append("}\n");
                    } else {
                        rules.add(new Rule(s, declarations, specificity(s), order++));
                    }
                }
                i = close + 1;
            }
            style.remove();
        }
        rules.sort(Comparator.comparingInt(Rule::specificity).thenComparingInt(Rule::order));
        Map<Element, Map<String, String>> computed = new LinkedHashMap<>();
        for (Rule rule : rules) {
            List<Element> matched;
            try {
                matched = doc.body().select(rule.selector());
            } catch (Selector.SelectorParseException e) {
                kept.append(rule.selector()).append(" {").append(rule.declarations()).append("}\n");
                continue;
            }
            for (Element e : matched) {
                declarations(rule.declarations(), computed.computeIfAbsent(e, k -> new LinkedHashMap<>()));
            }
        }
        computed.forEach((element, styles) -> {
            declarations(element.attr("style"), styles);
            StringBuilder s = new StringBuilder();
            styles.forEach((property, value) -> s.append(property).append(": ").append(value).append("; "));
            element.attr("style", s.toString().strip());
        });
        if (!kept.isEmpty()) {
            doc.head().appendElement("style").attr("type", "text/css").appendChild(new DataNode(kept.toString()));
        }
    }

    /** Puts the preheader (the line inbox lists show after the subject) as hidden text first in the body. */
    private static void preheader(Document doc, String preheader) {
        doc.body().prependElement("div")
                .attr("style", "display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all")
                .text(preheader);
    }

    /** A plain-text part: paragraphs and line breaks kept, links as "text (url)", images by their alt text, no hidden text. */
    private static String text(Document doc) {
        StringBuilder out = new StringBuilder();
        text(doc.body(), out);
        // lines trimmed of spaces and tabs, at most one empty line in a row (one pass: regexes cost more than the walk)
        StringBuilder clean = new StringBuilder(out.length());
        int newlines = 0;
        int i = 0;
        int n = out.length();
        while (i < n) {
            int end = i;
            while (end < n && out.charAt(end) != '\n') {
                end++;
            }
            int a = i;
            int b = end;
            while (a < b && isSpace(out.charAt(a))) {
                a++;
            }
            while (b > a && isSpace(out.charAt(b - 1))) {
                b--;
            }
            if (a < b) {
                if (!clean.isEmpty()) {
                    clean.append(newlines > 1 ? "\n\n" : "\n");
                }
                clean.append(out, a, b);
                newlines = 0;
            }
            if (end < n) {
                newlines++;
            }
            i = end + 1;
        }
        return clean.toString();
    }

    /** Runs of whitespace as one space, without a regex pass over text that has none to collapse. */
    static String collapse(String s) {
        int n = s.length();
        boolean plain = true;
        for (int i = 0; i < n && plain; i++) {
            char c = s.charAt(i);
            plain = c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\u000B' && !(c == ' ' && i + 1 < n && s.charAt(i + 1) == ' ');
        }
        return plain ? s : SPACES.matcher(s).replaceAll(" ");
    }

    /** {@code display: none} in a style attribute (every element has one once CSS is inlined: look for "none" first). */
    static boolean hidden(String style) {
        for (int i = style.length() - 4; i >= 0; i--) {
            if ((style.charAt(i) | 0x20) == 'n' && style.regionMatches(true, i, "none", 0, 4)) {
                return HIDDEN.matcher(style).find();
            }
        }
        return false;
    }

    private static void text(Node node, StringBuilder out) {
        for (Node child : node.childNodes()) {
            if (child instanceof Comment c && c.getData().startsWith(MARK)) {
                out.append("<!--").append(c.getData()).append("-->"); // a Liquid tag of a template, put back by restore
            } else if (child instanceof TextNode t) {
                String s = collapse(t.getWholeText());
                if (!(s.isBlank() && (out.isEmpty() || Character.isWhitespace(out.charAt(out.length() - 1))))) {
                    out.append(s);
                }
            } else if (child instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("style") || tag.equals("script") || tag.equals("head")
                        || (e.hasAttr("style") && hidden(e.attr("style")))) {
                    continue;
                }
                switch (tag) {
                    case "br" -> out.append('\n');
                    case "img" -> {
                        if (!e.attr("alt").isBlank()) {
                            out.append(e.attr("alt"));
                        }
                    }
                    case "a" -> {
                        int start = out.length();
                        text(e, out);
                        String label = out.substring(start).strip();
                        String href = e.attr("href");
                        if (!href.isBlank() && !href.startsWith("#") && !href.equals(label)) {
                            out.append(label.isEmpty() ? href : " (" + href + ")");
                        }
                    }
                    case "li" -> {
                        out.append("\n- ");
                        text(e, out);
                    }
                    case "hr" -> out.append("\n----------\n");
                    case "td", "th" -> {
                        text(e, out);
                        out.append(' ');
                    }
                    default -> {
                        boolean block = BLOCKS.contains(tag) || e.isBlock();
                        if (block) {
                            out.append('\n');
                        }
                        text(e, out);
                        if (block) {
                            out.append(PARAGRAPHS.contains(tag) ? "\n\n" : "\n");
                        }
                    }
                }
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static int matchingBrace(String css, int open) {
        int depth = 0;
        for (int i = open; i < css.length(); i++) {
            if (css.charAt(i) == '{') {
                depth++;
            } else if (css.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return css.length() - 1;
    }

    private static void declarations(String text, Map<String, String> into) {
        for (String d : text.split(";")) {
            int colon = d.indexOf(':');
            if (colon > 0) {
                into.put(d.substring(0, colon).strip().toLowerCase(Locale.ROOT), d.substring(colon + 1).strip());
            }
        }
    }

    /** CSS specificity as one number: ids ×10000, classes and attributes ×100, elements ×1. */
    private static int specificity(String selector) {
        int ids = 0;
        int classes = 0;
        int elements = 0;
        for (String part : selector.split("[\\s>+~]+")) {
            ids += part.chars().filter(c -> c == '#').count();
            classes += part.chars().filter(c -> c == '.' || c == '[').count();
            if (!part.isEmpty() && Character.isLetter(part.charAt(0))) {
                elements++;
            }
        }
        return ids * 10_000 + classes * 100 + elements;
    }
}
