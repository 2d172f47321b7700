package org.orbita.sending;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.orbita.common.Json;

/**
 * How the platform hands an email to the MTA nodes on the email queue: the JSON message the MTA
 * takes ({@code id, from, to, subject, headers…}) without its two large strings, which follow as
 * raw UTF-8 — escaping 20 KB of HTML into JSON for every recipient cost a third of a send.
 * <pre>
 * ORBITA-MAIL/1\n
 * {"id": …, "from": …, "to": […], "subject": …, "headers": {…}, "htmlBytes": n, "textBytes": m}\n
 * &lt;n bytes of HTML&gt;&lt;m bytes of text&gt;
 * </pre>
 * The MTA also takes plain JSON messages (with {@code html} and {@code text} inside).
 */
public final class EmailEnvelope {

    public static final String MAGIC = "ORBITA-MAIL/1\n";
    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    private EmailEnvelope() {}

    public static byte[] encode(Map<String, Object> message, String html, String text) {
        byte[] h = html == null ? new byte[0] : html.getBytes(StandardCharsets.UTF_8);
        byte[] t = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> meta = new LinkedHashMap<>(message);
        if (html != null) {
            meta.put("htmlBytes", h.length);
        }
        if (text != null) {
            meta.put("textBytes", t.length);
        }
        byte[] m = Json.bytes(meta);
        byte[] out = new byte[MAGIC_BYTES.length + m.length + 1 + h.length + t.length];
        int at = 0;
        System.arraycopy(MAGIC_BYTES, 0, out, at, MAGIC_BYTES.length);
        at += MAGIC_BYTES.length;
        System.arraycopy(m, 0, out, at, m.length);
        at += m.length;
        out[at++] = '\n';
        System.arraycopy(h, 0, out, at, h.length);
        System.arraycopy(t, 0, out, at + h.length, t.length);
        return out;
    }

    /** The message as the JSON it stands for ({@code html} and {@code text} put back); a plain JSON message as it is. */
    public static JsonNode read(byte[] body) throws IOException {
        if (!startsWithMagic(body)) {
            return Json.MAPPER.readTree(body);
        }
        int newline = MAGIC_BYTES.length;
        while (newline < body.length && body[newline] != '\n') {
            newline++;
        }
        ObjectNode meta = (ObjectNode) Json.MAPPER.readTree(Arrays.copyOfRange(body, MAGIC_BYTES.length, newline));
        int at = newline + 1;
        int htmlBytes = meta.path("htmlBytes").asInt(-1);
        int textBytes = meta.path("textBytes").asInt(-1);
        if (at + Math.max(0, htmlBytes) + Math.max(0, textBytes) != body.length) {
            throw new IOException("the envelope's lengths (" + htmlBytes + " + " + textBytes + ") do not match its " + (body.length - at) + " bytes");
        }
        if (htmlBytes >= 0) {
            meta.put("html", new String(body, at, htmlBytes, StandardCharsets.UTF_8));
            at += htmlBytes;
        }
        if (textBytes >= 0) {
            meta.put("text", new String(body, at, textBytes, StandardCharsets.UTF_8));
        }
        meta.remove("htmlBytes");
        meta.remove("textBytes");
        return meta;
    }

    static boolean startsWithMagic(byte[] body) {
        return body.length >= MAGIC_BYTES.length && Arrays.equals(body, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length);
    }
}
