package org.orbita.content;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orbita.common.InvalidInputException;

/**
 * Shopify's newer tags that Liqp's grammar does not know, rewritten into ones it does before
 * parsing: {@code {% echo x | f %}} is {@code {{ x | f }}}; an inline comment
 * {@code {%# … %}} (every line starting with {@code #}) and a {@code {% doc %}…{% enddoc %}}
 * block (its text never parsed) become empty comments; {@code {% liquid … %}} — one tag per
 * line — becomes those tags one after another. Whitespace control ({@code {%-}, {@code -%}})
 * stays where it was written, {@code raw} blocks are left alone, and newlines inside comments
 * are kept, so errors after them keep their line numbers. Also Shopify's readings Liqp lacks:
 * a block whose body writes nothing but white space writes nothing at all, comments nest,
 * {@code tablerow} loops over a range literal, ranges are values.
 */
final class LiquidSource {

    private static final Pattern TAG = Pattern.compile("\\{%(-?)(\\s*)(#|[A-Za-z_]\\w*)(.*?)(-?)%}", Pattern.DOTALL);
    private static final Pattern END_RAW = Pattern.compile("\\{%-?\\s*endraw\\s*-?%}");
    private static final Pattern END_DOC = Pattern.compile("\\{%-?\\s*enddoc\\s*(-?)%}");
    /** A tag as Shopify's tokenizer reads one: from {@code {%} to the first {@code %}}; a comment or endcomment when group 1 is. */
    private static final Pattern ANY_TAG = Pattern.compile("(?s)\\{%(?:-?\\s*(comment|endcomment)\\s*-?%}|.*?%})");
    /** A loop over a range literal: {@code i in (1..n) cols: 2}. */
    private static final Pattern LOOP_RANGE = Pattern.compile("(?s)(\\s*[\\w-]+\\s+in\\s+)\\(\\s*([^()]*?)\\s*\\.\\.\\s*([^()]*?)\\s*\\)(.*)");
    /** An output that starts with a range literal: {@code {{ (1..n) | join: ',' }}}. */
    private static final Pattern OUTPUT_RANGE = Pattern.compile("\\{\\{(-?)\\s*\\(\\s*([^()]*?)\\s*\\.\\.\\s*([^()]*?)\\s*\\)");
    /** An assignment of a range literal: {@code assign r = (1..n)}, filters may follow. */
    private static final Pattern ASSIGN_RANGE = Pattern.compile("(?s)(\\s*[\\w-]+\\s*=\\s*)\\(\\s*([^()]*?)\\s*\\.\\.\\s*([^()]*?)\\s*\\)(.*)");
    /** A render's name and what follows it: {@code with}/{@code for} an expression, {@code as} an alias, keyword arguments. */
    private static final Pattern RENDER = Pattern.compile("\\s*((['\"])[^'\"]*\\2)\\s*,?\\s*(?:(with|for)\\s+(" + Values.VALUE + ")(?:\\s+as\\s+([A-Za-z_][\\w-]*))?)?\\s*,?(.*)",
            Pattern.DOTALL);
    private static final Pattern ARGUMENT = Pattern.compile("\\s*,?\\s*([A-Za-z_][\\w-]*)\\s*:\\s*(" + Values.VALUE + ")\\s*");

    /** A value Shopify allows as a render argument: text, a number, a range, a variable with its lookups. */
    private static final class Values {
        static final String VALUE = "'[^']*'|\"[^\"]*\"|\\([^()]*\\.\\.[^()]*\\)|-?\\d+(?:\\.\\d+)?|[A-Za-z_][\\w-]*(?:\\.[\\w-]+|\\[[^\\]]*\\])*";
    }

    private LiquidSource() {}

    /** The template as Liqp can read it; the same text when it has no tags and no range outputs. */
    static String rewrite(String template, String field) {
        if (template.indexOf("{%") < 0) {
            return outputRanges(template);
        }
        Pieces out = new Pieces();
        Matcher tag = TAG.matcher(template);
        int at = 0;
        int ranges = 0;
        // the blocks open around this place (innermost first): for if/unless whether it has had its else, and whether it is blank
        ArrayDeque<Open> blocks = new ArrayDeque<>();
        while (at < template.length() && tag.find(at)) {
            out.text(outputRanges(template.substring(at, tag.start())), blocks.peek());
            String left = tag.group(1);
            String name = tag.group(3);
            String body = tag.group(4);
            String right = tag.group(5);
            at = tag.end();
            boolean blank = false; // a tag that writes nothing: whitespace around it in a blank block is not written either
            switch (name) {
                case "raw" -> {
                    Matcher end = END_RAW.matcher(template);
                    int stop = end.find(at) ? end.end() : template.length();
                    out.add(template.substring(tag.start(), stop));
                    at = stop;
                }
                case "#" -> {
                    inlineComment(body, field);
                    out.add(comment(left, right, newlines(tag.group())));
                    blank = true;
                }
                case "comment" -> {
                    int stop = endOfComment(template, at, field);
                    out.add(comment(left, endRight(template, stop),
                            newlines(template.substring(tag.start(), stop))));
                    at = stop;
                    blank = true;
                }
                case "doc" -> {
                    Matcher end = END_DOC.matcher(template);
                    if (!body.isBlank()) {
                        throw new InvalidInputException(field, "doc" + body, "doc takes no arguments");
                    }
                    if (!end.find(at)) {
                        throw new InvalidInputException(field, "doc", "a doc block needs its {% enddoc %}");
                    }
                    if (Pattern.compile("\\{%-?\\s*doc\\b").matcher(template).region(at, end.start()).find()) {
                        throw new InvalidInputException(field, "doc", "doc blocks cannot be nested");
                    }
                    out.add(comment(left, end.group(1), newlines(template.substring(tag.start(), end.end()))));
                    at = end.end();
                    blank = true;
                }
                case "echo" -> {
                    out.add(body.isBlank() ? comment(left, right, 0) : "{{" + left + ' ' + body.strip() + ' ' + right + "}}");
                    blank = body.isBlank();
                }
                case "render" -> out.add(render(left, body, right, tag.group(), tag.start(), field));
                case "liquid" -> {
                    List<String> tags = new ArrayList<>();
                    lines(body, tags, field);
                    if (tags.isEmpty()) {
                        out.add(comment(left, right, newlines(tag.group())));
                        blank = true;
                    } else {
                        StringBuilder written = new StringBuilder();
                        for (int i = 0; i < tags.size(); i++) {
                            String t = tags.get(i);
                            boolean echo = t.startsWith("echo ");
                            written.append(echo ? "{{" : "{%").append(i == 0 ? left : "").append(' ').append(echo ? t.substring(5) : t).append(' ')
                                    .append(i == tags.size() - 1 ? right : "").append(echo ? "}}" : "%}");
                        }
                        out.add(written.toString());
                    }
                }
                case "assign" -> {
                    Matcher range = ASSIGN_RANGE.matcher(body);
                    out.add(range.matches() ? "{%" + left + tag.group(2) + "assign" + range.group(1) + range.group(2)
                            + " | orbita_range: " + range.group(3) + range.group(4) + right + "%}" : tag.group());
                    blank = true;
                }
                case "if", "unless", "case", "capture", "ifchanged" -> {
                    blocks.push(new Open(name));
                    out.add(tag.group());
                    continue;
                }
                case "endif", "endunless", "endcase", "endfor", "endtablerow", "endcapture", "endifchanged" -> {
                    Open open = blocks.poll();
                    out.add(tag.group());
                    if (open == null) {
                        blank = true; // Liqp names the stray end tag
                    } else {
                        if (open.blank) {
                            out.clear(open.spaces);
                        }
                        // a capture writes nothing wherever it is; a table row always writes its cells
                        blank = open.name.equals("capture") || open.blank && !open.name.equals("tablerow");
                    }
                }
                case "else", "elsif", "when" -> {
                    Open open = blocks.peek();
                    boolean condition = open != null && (open.name.equals("if") || open.name.equals("unless"));
                    if (condition && open.hadElse) {
                        // Shopify ignores what follows an if's else up to its end: skip it, nested blocks and all
                        at = endOfCondition(template, at);
                        continue;
                    }
                    if (condition && name.equals("else")) {
                        open.hadElse = true;
                    }
                    // an else's words are ignored, as Shopify ignores them
                    out.add(name.equals("else") ? "{%" + left + " else " + right + "%}" : tag.group());
                    continue;
                }
                case "for", "tablerow" -> {
                    String loop = withoutCommas(body);
                    Matcher range = LOOP_RANGE.matcher(loop);
                    if (name.equals("tablerow") && range.matches()) {
                        // Liqp's tablerow loops over a variable only: the range is assigned to one first
                        String rows = "orbita_rows_" + ++ranges;
                        out.add("{%" + left + " assign " + rows + " = " + range.group(2) + " | orbita_range: " + range.group(3) + " %}");
                        loop = range.group(1) + rows + range.group(4);
                        left = "";
                    }
                    blocks.push(new Open(name));
                    out.add("{%" + left + tag.group(2) + name + loop + right + "%}");
                    continue;
                }
                default -> out.add(tag.group());
            }
            if (!blank && !blocks.isEmpty()) {
                blocks.peek().blank = false;
            }
        }
        out.text(outputRanges(template.substring(Math.min(at, template.length()))), blocks.peek());
        return out.toString();
    }

    /**
     * The rewritten template as pieces, so that the white space of a block found blank at its
     * end can be taken out: Shopify writes nothing for a block whose body is only white space
     * and tags that write nothing ({@code assign}, {@code capture}, comments, blank blocks).
     */
    private static final class Pieces {
        private final List<String> pieces = new ArrayList<>();

        void add(String piece) {
            pieces.add(piece);
        }

        /** Text between tags: white space only is remembered by the block it is in; anything else makes that block not blank. */
        void text(String text, Open block) {
            if (text.isEmpty()) {
                return;
            }
            if (block != null) {
                if (text.isBlank()) {
                    block.spaces.add(pieces.size());
                } else {
                    block.blank = false;
                }
            }
            pieces.add(text);
        }

        void clear(List<Integer> at) {
            at.forEach(i -> pieces.set(i, ""));
        }

        int size() {
            return pieces.size();
        }

        @Override
        public String toString() {
            return String.join("", pieces);
        }
    }

    /**
     * A render with arguments: each value is assigned to a name of its own first (Liqp reads the
     * expression, ranges included), and the render tag is told which names to bind in the
     * snippet's scope ({@code Templates.RenderTag}); a plain render is left as it is.
     */
    private static String render(String left, String body, String right, String whole, int offset, String field) {
        Matcher m = RENDER.matcher(body);
        if (!m.matches() || (m.group(3) == null && m.group(6).isBlank())) {
            return whole;
        }
        String prefix = "__render" + offset + "_";
        StringBuilder assigns = new StringBuilder();
        StringBuilder spec = new StringBuilder();
        if (m.group(3) != null) {
            assigns.append("{% assign ").append(prefix).append("bound = ").append(value(m.group(4))).append(" %}");
            spec.append(m.group(3)).append('=').append(prefix).append("bound;");
            if (m.group(5) != null) {
                spec.append("as=").append(m.group(5)).append(';');
            }
        }
        String rest = m.group(6);
        Matcher a = ARGUMENT.matcher(rest);
        int at = 0;
        int i = 0;
        while (at < rest.length() && a.find(at) && a.start() == at) {
            String name = prefix + i++;
            assigns.append("{% assign ").append(name).append(" = ").append(value(a.group(2))).append(" %}");
            spec.append("arg:").append(a.group(1)).append('=').append(name).append(';');
            at = a.end();
        }
        if (!rest.substring(at).isBlank()) {
            throw new InvalidInputException(field, rest.strip(), "render takes a snippet name, then 'with' or 'for' a value (optionally 'as' a name), then name: value arguments");
        }
        return "{%" + left + " comment %}{% endcomment %}" + assigns + "{% render " + m.group(1) + " '" + spec + "' " + right + "%}";
    }

    /** A range {@code (a..b)} as a value Liqp can assign: {@code a | orbita_range: b}. */
    private static String value(String v) {
        String s = v.strip();
        if (s.startsWith("(") && s.contains("..")) {
            String inner = s.substring(1, s.length() - 1);
            int dots = inner.indexOf("..");
            return inner.substring(0, dots).strip() + " | orbita_range: " + inner.substring(dots + 2).strip();
        }
        return s;
    }

    /** Outputs that start with a range literal, as Liqp can read them: {@code {{ a | orbita_range: b | … }}}. */
    private static String outputRanges(String text) {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        return OUTPUT_RANGE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                "{{" + m.group(1) + " " + m.group(2) + " | orbita_range: " + m.group(3)));
    }

    /** A block open while the template is read. */
    private static final class Open {
        final String name;
        final List<Integer> spaces = new ArrayList<>();
        boolean hadElse;
        boolean blank = true;

        Open(String name) {
            this.name = name;
        }
    }

    /** Where the comment open at {@code from} ends (after its own endcomment, nested comments counted); an unclosed one is refused. */
    private static int endOfComment(String template, int from, String field) {
        Matcher tag = ANY_TAG.matcher(template);
        int depth = 0;
        int at = from;
        while (tag.find(at)) {
            if ("comment".equals(tag.group(1))) {
                depth++;
            } else if ("endcomment".equals(tag.group(1)) && depth-- == 0) {
                return tag.end();
            }
            at = tag.end();
        }
        throw new InvalidInputException(field, "comment", "a comment block needs its {% endcomment %}");
    }

    /** The whitespace control on the right of the end tag that finishes at {@code end}: "-" or nothing. */
    private static String endRight(String template, int end) {
        return end >= 3 && template.charAt(end - 3) == '-' ? "-" : "";
    }

    /** Where the if or unless open at {@code from} ends: at its own endif/endunless, blocks inside it skipped whole. */
    private static int endOfCondition(String template, int from) {
        Matcher tag = TAG.matcher(template);
        int depth = 0;
        int at = from;
        while (tag.find(at)) {
            String name = tag.group(3);
            if (name.equals("if") || name.equals("unless")) {
                depth++;
            } else if (name.equals("endif") || name.equals("endunless")) {
                if (depth == 0) {
                    return tag.start();
                }
                depth--;
            } else if (name.equals("raw") || name.equals("comment")) {
                Matcher end = Pattern.compile("\\{%-?\\s*end" + name + "\\s*-?%}").matcher(template);
                if (end.find(tag.end())) {
                    at = end.end();
                    continue;
                }
            }
            at = tag.end();
        }
        return template.length();
    }

    /** A loop's parameters with the commas Shopify allows between them taken out (quoted text kept). */
    private static String withoutCommas(String body) {
        StringBuilder out = new StringBuilder(body.length());
        char quote = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ',') {
                out.append(' ');
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** An inline comment's lines must each start with {@code #}, as Shopify requires. */
    private static void inlineComment(String body, String field) {
        String[] lines = ("#" + body).split("\r?\n");
        for (String line : lines) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                throw new InvalidInputException(field, s, "every line of an inline comment {%# … %} must start with #");
            }
        }
    }

    /** The tags of a {@code liquid} tag's body, one per line (nested {@code liquid} lines read the same way). */
    private static void lines(String body, List<String> tags, String field) {
        boolean inComment = false;
        for (String raw : body.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.indexOf('\r') >= 0) {
                throw new InvalidInputException(field, "liquid", "tags of a liquid tag end at a newline, not a bare carriage return");
            }
            String word = line.split("\\s+", 2)[0];
            if (inComment) {
                if (word.equals("endcomment")) {
                    inComment = false;
                    tags.add("endcomment");
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (word.equals("comment")) {
                inComment = true;
                tags.add("comment");
                continue;
            }
            if (word.equals("liquid")) {
                lines(line.substring("liquid".length()), tags, field);
                continue;
            }
            if (!line.equals("echo")) {
                tags.add(line); // an "echo x" line is written as {{ x }} by the caller
            }
        }
    }

    private static String comment(String left, String right, int newlines) {
        return "{%" + left + " comment %}" + "\n".repeat(newlines) + "{% endcomment " + right + "%}";
    }

    private static int newlines(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
