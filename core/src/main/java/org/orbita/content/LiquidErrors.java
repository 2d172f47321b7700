package org.orbita.content;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Liquid parser's complaint means, said for the person who wrote the template: an
 * unclosed {@code {% if %}} is named with its line, an {@code {% endfor %}} that closes nothing
 * says so, an unknown tag or filter is named, a half-written tag says what it lacks. Messages it
 * does not know keep their words, without the parser's jargon.
 */
final class LiquidErrors {

    private static final Set<String> BLOCKS = Set.of("if", "unless", "case", "for", "tablerow", "capture", "comment", "raw", "ifchanged");
    private static final List<String> TAGS = List.of("assign", "capture", "case", "comment", "cycle", "decrement", "echo", "for", "if",
            "ifchanged", "increment", "liquid", "raw", "render", "tablerow", "unless");
    private static final Pattern TAG = Pattern.compile("\\{%-?\\s*(\\w+)");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private LiquidErrors() {}

    /** The complaint in plain words ({@code message} is Liqp's, {@code template} what it read). */
    static String plain(String message, String template) {
        String m = message == null ? "" : message;
        if (m.contains("no filter available named")) {
            String name = m.substring(m.indexOf("named:") + 6).strip().replaceFirst("^\\|", "");
            return "there is no filter named '" + name + "'";
        }
        if (m.contains("Invalid Tag")) {
            String name = quoted(m);
            return "there is no tag named '" + name + "'; the tags are " + String.join(", ", TAGS);
        }
        if (m.contains("<EOF>") || m.contains("mismatched") || m.contains("extraneous")) {
            String blocks = blocks(template);
            if (blocks != null) {
                return blocks;
            }
        }
        if (m.contains("no viable alternative at input")) {
            String input = quoted(m);
            if (input != null && input.startsWith("{{")) {
                return "an output tag is not closed: each {{ needs its }}";
            }
            if (input != null && input.startsWith("{%")) {
                Matcher t = TAG.matcher(input);
                return t.find() ? "the tag {% " + t.group(1) + " %} is not complete: " + needs(t.group(1))
                        : "a tag is not complete: each {% needs its %}";
            }
        }
        if (m.contains("extraneous input") || m.contains("mismatched input")) {
            String what = quoted(m);
            if ("==".equals(what) || "!=".equals(what) || "<".equals(what) || ">".equals(what) || "<=".equals(what) || ">=".equals(what)) {
                return "'" + what + "' compares two values: give one on each side";
            }
            return what == null ? "something here cannot be read as Liquid" : "'" + what + "' is not expected here";
        }
        return m.replaceFirst("^parser error \"?", "").replaceFirst("\"? on line \\d+, index \\d+.*$", "")
                .replaceFirst("^error on line \\d+, index \\d+: ", "");
    }

    /** What a block's tag lacks when its line is cut short. */
    private static String needs(String tag) {
        return switch (tag) {
            case "for", "tablerow" -> "write it as {% " + tag + " item in list %}";
            case "if", "unless" -> "write it as {% " + tag + " condition %}";
            case "assign" -> "write it as {% assign name = value %}";
            case "case" -> "write it as {% case value %}";
            case "render" -> "write it as {% render 'snippet' %}";
            default -> "check its words and that it ends with %}";
        };
    }

    /** A block left open or an end that closes nothing, with its line; null when the blocks pair up. */
    static String blocks(String template) {
        Deque<String[]> open = new ArrayDeque<>();
        Matcher t = TAG.matcher(template == null ? "" : template);
        while (t.find()) {
            String name = t.group(1);
            int line = lineOf(template, t.start());
            if (open.peek() != null && (open.peek()[0].equals("raw") || open.peek()[0].equals("comment")) && !name.equals("end" + open.peek()[0])) {
                continue; // inside raw or comment nothing is a tag
            }
            if (BLOCKS.contains(name)) {
                open.push(new String[] {name, String.valueOf(line)});
            } else if (name.startsWith("end") && BLOCKS.contains(name.substring(3))) {
                String wanted = name.substring(3);
                if (open.isEmpty()) {
                    return "{% " + name + " %} on line " + line + " closes nothing: there is no {% " + wanted + " %} open before it";
                }
                if (!open.peek()[0].equals(wanted)) {
                    return "{% " + name + " %} on line " + line + " closes a " + wanted + ", but the {% " + open.peek()[0] + " %} opened on line "
                            + open.peek()[1] + " is still open: close it first with {% end" + open.peek()[0] + " %}";
                }
                open.pop();
            }
        }
        if (!open.isEmpty()) {
            String[] first = open.peekLast();
            String[] last = open.peek();
            String[] b = last == null ? first : last;
            return "the {% " + b[0] + " %} opened on line " + b[1] + " is never closed: add {% end" + b[0] + " %}";
        }
        return null;
    }

    private static int lineOf(String s, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String quoted(String m) {
        Matcher q = QUOTED.matcher(m);
        return q.find() ? q.group(1) : null;
    }
}
