package org.orbita.mta.bounces;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message read as bounce processors read it: unfolded headers (RFC 2047 words decoded), and
 * bodies decoded from quoted-printable or base64 in their charset; multipart bodies split
 * into their parts. Lenient: a returned message is often malformed, and the text matters more
 * than the structure.
 */
record Mime(Map<String, String> headers, List<String> received, String body, List<Mime> parts) {

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([A-Za-z0-9_.:-]+)\"?");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");

    static Mime parse(byte[] raw) {
        return parse(new String(raw, StandardCharsets.ISO_8859_1), 0);
    }

    /** The message in ISO-8859-1 (bytes kept one per char until a part's charset says otherwise). */
    static Mime parse(String text, int depth) {
        String t = text.replace("\r\n", "\n");
        int split = t.indexOf("\n\n");
        if (t.startsWith("\n")) {
            split = 0;
        }
        String head = split < 0 ? t : t.substring(0, split);
        String raw = split < 0 ? "" : t.substring(Math.min(t.length(), split + 2));
        Map<String, String> headers = headers(head);
        String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        List<Mime> parts = new ArrayList<>();
        String body;
        if (type.startsWith("multipart/") && depth < 8) {
            Matcher m = BOUNDARY.matcher(headers.get("content-type"));
            if (m.find()) {
                String boundary = m.group(1) != null ? m.group(1) : m.group(2);
                String[] chunks = raw.split("(?m)^--" + Pattern.quote(boundary) + "(?:--)?[ \\t]*$");
                for (int i = 1; i < chunks.length; i++) {
                    String c = chunks[i].startsWith("\n") ? chunks[i].substring(1) : chunks[i];
                    if (!c.isBlank()) {
                        parts.add(parse(c, depth + 1));
                    }
                }
            }
            body = raw;
        } else {
            body = decode(raw, headers.getOrDefault("content-transfer-encoding", ""), charset(type));
        }
        return new Mime(headers, receivedFields(head), body, parts);
    }

    /** Header fields, names lowercased, continuation lines joined, the first of a repeated field kept. */
    static Map<String, String> headers(String head) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String line : head.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                out.put(last, out.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).matches("[A-Za-z0-9-]+")) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (out.containsKey(name)) {
                    last = null; // a repeated field: the first one stands
                    continue;
                }
                last = name;
                out.put(last, line.substring(colon + 1).strip());
            } else {
                last = null;
            }
        }
        out.replaceAll((k, v) -> words(v));
        return out;
    }

    /** Every Received field, unfolded, in order. */
    private static List<String> receivedFields(String head) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : head.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.append(' ').append(line.strip());
            } else {
                if (current != null) {
                    out.add(current.toString());
                    current = null;
                }
                if (line.regionMatches(true, 0, "Received:", 0, 9)) {
                    current = new StringBuilder(line.substring(9).strip());
                }
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }

    private static Charset charset(String contentType) {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8; // an unknown charset: UTF-8 reads the most
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** A body decoded from its transfer encoding, then from its charset (the raw text holds one byte per char). */
    static String decode(String raw, String encoding, Charset charset) {
        String e = encoding.toLowerCase(Locale.ROOT).strip();
        byte[] bytes;
        if (e.equals("base64")) {
            try {
                bytes = Base64.getMimeDecoder().decode(raw.replaceAll("[^A-Za-z0-9+/=]", ""));
            } catch (IllegalArgumentException bad) {
                bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
            }
        } else if (e.equals("quoted-printable")) {
            bytes = quotedPrintable(raw);
        } else {
            bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        }
        return new String(bytes, charset);
    }

    private static byte[] quotedPrintable(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '=' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                i++;
            } else if (c == '=' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c & 0xff);
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** RFC 2047 encoded words decoded; the rest of the value kept. */
    static String words(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Charset cs;
            try {
                cs = Charset.forName(m.group(1).replaceAll("\\*.*", ""));
            } catch (IllegalArgumentException e) {
                cs = StandardCharsets.UTF_8;
            }
            String decoded = m.group(2).equalsIgnoreCase("B")
                    ? decode(m.group(3), "base64", cs)
                    : new String(quotedPrintable(m.group(3).replace('_', ' ')), cs);
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString().replaceAll("\\?=\\s+=\\?", "?==?");
    }

    String header(String name) {
        return headers.getOrDefault(name, "");
    }

    String type() {
        return header("content-type").toLowerCase(Locale.ROOT);
    }

    /** Every part, depth first (this one included). */
    List<Mime> all() {
        List<Mime> out = new ArrayList<>();
        out.add(this);
        for (Mime p : parts) {
            out.addAll(p.all());
        }
        return out;
    }
}
