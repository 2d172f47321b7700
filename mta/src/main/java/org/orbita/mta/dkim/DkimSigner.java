package org.orbita.mta.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * DKIM signatures (RFC 6376) with relaxed/relaxed canonicalization, by RSA-SHA256 or
 * Ed25519-SHA256 (RFC 8463), for one signing domain and selector. The signature is a header
 * to put first in the message.
 */
public final class DkimSigner {

    /** Headers signed when present (the last occurrence of each), as common signers choose. */
    public static final List<String> SIGNED = List.of("from", "to", "cc", "reply-to", "subject", "date", "message-id", "mime-version",
            "content-type", "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post", "list-id", "feedback-id");

    private static final Pattern WSP_RUN = Pattern.compile("[ \\t]+");

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final String algorithm;
    private final Clock clock;

    public DkimSigner(String domain, String selector, PrivateKey key, Clock clock) {
        this.domain = domain;
        this.selector = selector;
        this.key = key;
        this.algorithm = key.getAlgorithm().equals("RSA") ? "rsa-sha256" : "ed25519-sha256";
        this.clock = clock;
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EdDSA") && !key.getAlgorithm().equals("Ed25519")) {
            throw new IllegalArgumentException("DKIM keys are RSA or Ed25519, not " + key.getAlgorithm());
        }
    }

    /** Reads a PKCS#8 private key in PEM ("-----BEGIN PRIVATE KEY-----"), RSA or Ed25519. */
    public static PrivateKey readKey(String pem) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        for (String alg : List.of("RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next kind
            }
        }
        throw new GeneralSecurityException("not a PKCS#8 RSA or Ed25519 private key");
    }

    public String domain() {
        return domain;
    }

    /** The message with its DKIM-Signature header put first. */
    public byte[] sign(byte[] message) throws GeneralSecurityException {
        String text = new String(message, StandardCharsets.ISO_8859_1); // byte for byte: hashes see the octets sent
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 4);
        List<String[]> headers = headers(head);
        StringBuilder signed = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (String name : SIGNED) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                if (headers.get(i)[0].equalsIgnoreCase(name)) {
                    names.add(name);
                    signed.append(relaxedHeader(headers.get(i)[0], headers.get(i)[1])).append("\r\n");
                    break;
                }
            }
        }
        String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(relaxedBody(body).getBytes(StandardCharsets.ISO_8859_1)));
        String value = "v=1; a=" + algorithm + "; c=relaxed/relaxed; d=" + domain + "; s=" + selector + "; t="
                + clock.instant().getEpochSecond() + "; h=" + String.join(":", names) + "; bh=" + bh + "; b=";
        signed.append(relaxedHeader("DKIM-Signature", value));
        byte[] input = signed.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] signature;
        if (algorithm.equals("rsa-sha256")) {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input);
            signature = s.sign();
        } else {
            // RFC 8463: Ed25519 (pure) over the SHA-256 hash of the signing input
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(MessageDigest.getInstance("SHA-256").digest(input));
            signature = s.sign();
        }
        String header = "DKIM-Signature: " + fold(value + Base64.getEncoder().encodeToString(signature)) + "\r\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + message.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

    /** Header fields as [name, value with its folding], in order. */
    private static List<String[]> headers(String head) {
        List<String[]> out = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !out.isEmpty()) {
                String[] last = out.get(out.size() - 1);
                last[1] = last[1] + "\r\n" + line;
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
                }
            }
        }
        return out;
    }

    /** RFC 6376 3.4.2: lower-case name, unfolded value, runs of white space as one space, none at the ends. */
    static String relaxedHeader(String name, String value) {
        String v = value.replace("\r\n", "");
        v = WSP_RUN.matcher(v).replaceAll(" ").strip();
        return name.strip().toLowerCase(Locale.ROOT) + ":" + v;
    }

    /** RFC 6376 3.4.4: runs of white space as one space, none at line ends, no empty lines at the end. */
    static String relaxedBody(String body) {
        String[] lines = body.split("\r\n", -1);
        StringBuilder out = new StringBuilder(body.length());
        int last = lines.length - 1;
        while (last >= 0 && WSP_RUN.matcher(lines[last]).replaceAll("").isEmpty()) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            String l = WSP_RUN.matcher(lines[i]).replaceAll(" ");
            int end = l.length();
            while (end > 0 && l.charAt(end - 1) == ' ') {
                end--;
            }
            out.append(l, 0, end).append("\r\n");
        }
        return out.toString();
    }

    /** Folds a long header value at "; " boundaries and inside the signature, lines under 78 characters. */
    private static String fold(String value) {
        StringBuilder out = new StringBuilder();
        int lineLength = "DKIM-Signature: ".length();
        for (String part : value.split("(?<=; )")) {
            if (lineLength + part.length() > 76 && lineLength > 1) {
                out.append("\r\n\t");
                lineLength = 1;
            }
            while (part.length() > 76) {
                int room = Math.max(1, 76 - lineLength);
                out.append(part, 0, room).append("\r\n\t");
                part = part.substring(room);
                lineLength = 1;
            }
            out.append(part);
            lineLength += part.length();
        }
        return out.toString();
    }
}
