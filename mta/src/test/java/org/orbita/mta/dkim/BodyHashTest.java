package org.orbita.mta.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass relaxed body hash against RFC 6376 §3.4.4 written out rule by rule, on random bodies. */
class BodyHashTest {

    /** The rules as the RFC states them, over lines. */
    static byte[] reference(String body) throws Exception {
        String[] lines = body.split("\r\n", -1);
        int end = lines.length;
        // the text after the last CRLF is a line without its CRLF; "" means the body ended with CRLF
        StringBuilder out = new StringBuilder();
        List<String> canon = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            canon.add(lines[i].replaceAll("[ \t]+", " ").replaceAll(" \\z", ""));
        }
        if (canon.get(canon.size() - 1).isEmpty()) {
            canon.remove(canon.size() - 1); // the final CRLF's empty remainder
        }
        while (!canon.isEmpty() && canon.get(canon.size() - 1).isEmpty()) {
            canon.remove(canon.size() - 1); // empty lines at the end
        }
        for (String l : canon) {
            out.append(l).append("\r\n");
        }
        return MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void matchesTheRulesOnRandomBodies() throws Exception {
        Random r = new Random(42);
        String[] pieces = {"a", "bc", " ", "\t", "\r\n", "\r\n", ".", "\r", "\u00e9"};
        for (int n = 0; n < 3000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            String body = b.toString();
            byte[] message = ("Subject: x\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(DkimSigner.relaxedBodyHash(message, "Subject: x\r\n\r\n".length()))
                    .as("body %s", body.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))
                    .isEqualTo(reference(body));
        }
    }
}
