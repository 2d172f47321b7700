package org.orbita.sending;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Header values of outgoing mail as RFC 2047 encoded words when they are not plain ASCII. */
public final class MimeHeaders {

    private MimeHeaders() {}

    /** A header value, encoded when it needs to be (line breaks become spaces: no header injection). */
    public static String encode(String value) {
        String v = value.replaceAll("[\r\n]+", " ");
        if (v.chars().allMatch(ch -> ch >= 32 && ch < 127)) {
            return v;
        }
        // encoded words of at most 75 characters: 45 bytes of UTF-8 each, never splitting a character
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < v.length()) {
            int end = i;
            int bytes = 0;
            while (end < v.length()) {
                int cp = v.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > 45) {
                    break;
                }
                bytes += n;
                end += Character.charCount(cp);
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(v.substring(i, end).getBytes(StandardCharsets.UTF_8))).append("?=");
            i = end;
        }
        return out.toString();
    }

    /** {@code "Name" <address>} with the name encoded when it needs to be. */
    public static String encodeDisplay(String from) {
        int lt = from.lastIndexOf('<');
        if (lt <= 0) {
            return from;
        }
        String name = from.substring(0, lt).strip();
        if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
            name = name.substring(1, name.length() - 1);
        }
        String encoded = encode(name);
        return (encoded.equals(name) ? "\"" + name + "\"" : encoded) + " " + from.substring(lt);
    }
}
