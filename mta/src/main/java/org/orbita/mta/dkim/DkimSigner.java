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
    private final RawSigner raw;
    private final String algorithm;
    private final Clock clock;

    /** Makes the signature bytes: RSA signs the input with SHA-256; Ed25519 signs the bytes it is given. */
    interface RawSigner {
        byte[] sign(byte[] input) throws GeneralSecurityException;
    }

    /** Signs with the JDK's providers. */
    public DkimSigner(String domain, String selector, PrivateKey key, Clock clock) {
        this(domain, selector, key.getAlgorithm().equals("RSA"), jdk(key), clock);
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EdDSA") && !key.getAlgorithm().equals("Ed25519")) {
            throw new IllegalArgumentException("DKIM keys are RSA or Ed25519, not " + key.getAlgorithm());
        }
    }

    private DkimSigner(String domain, String selector, boolean rsa, RawSigner raw, Clock clock) {
        this.domain = domain;
        this.selector = selector;
        this.raw = raw;
        this.algorithm = rsa ? "rsa-sha256" : "ed25519-sha256";
        this.clock = clock;
    }

    /**
     * A signer for a PEM key: through the system's OpenSSL when this is Java 22+ and libcrypto 3
     * is there (several times faster), else through the JDK.
     */
    public static DkimSigner of(String domain, String selector, String pem, Clock clock) throws GeneralSecurityException {
        PrivateKey key = readKey(pem);
        boolean rsa = key.getAlgorithm().equals("RSA");
        RawSigner openssl = openssl(pem, rsa);
        return openssl == null ? new DkimSigner(domain, selector, key, clock) : new DkimSigner(domain, selector, rsa, openssl, clock);
    }

    /** Whether signing goes through OpenSSL (for the log and the benchmark notes). */
    public boolean nativeCrypto() {
        return raw.getClass().getSimpleName().equals("OpenSslSigning");
    }

    private static RawSigner openssl(String pem, boolean rsa) {
        if (Runtime.version().feature() < 22 || Boolean.getBoolean("orbita.mta.jdk-crypto")) {
            return null;
        }
        try {
            Class<?> c = Class.forName("org.orbita.mta.dkim.OpenSslSigning");
            var ctor = c.getDeclaredConstructor(String.class, boolean.class);
            ctor.setAccessible(true);
            return (RawSigner) ctor.newInstance(pem, rsa);
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            return null; // no libcrypto 3 here (or an older Java): the JDK signs
        }
    }

    private static RawSigner jdk(PrivateKey key) {
        boolean rsa = key.getAlgorithm().equals("RSA");
        return input -> {
            Signature s = Signature.getInstance(rsa ? "SHA256withRSA" : "Ed25519");
            s.initSign(key);
            s.update(input);
            return s.sign();
        };
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

    public String selector() {
        return selector;
    }

    /** {@code rsa-sha256} or {@code ed25519-sha256}. */
    public String algorithm() {
        return algorithm;
    }

    /** The message with its DKIM-Signature header put first. */
    public byte[] sign(byte[] message) throws GeneralSecurityException {
        int split = headerEnd(message);
        String head = new String(message, 0, split < 0 ? message.length : split + 2, StandardCharsets.ISO_8859_1);
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
        String bh = Base64.getEncoder().encodeToString(relaxedBodyHash(message, split < 0 ? message.length : split + 4));
        String value = "v=1; a=" + algorithm + "; c=relaxed/relaxed; d=" + domain + "; s=" + selector + "; t="
                + clock.instant().getEpochSecond() + "; h=" + String.join(":", names) + "; bh=" + bh + "; b=";
        signed.append(relaxedHeader("DKIM-Signature", value));
        byte[] input = signed.toString().getBytes(StandardCharsets.ISO_8859_1);
        // RFC 8463: Ed25519 (pure) signs the SHA-256 hash of the signing input
        byte[] signature = raw.sign(algorithm.equals("rsa-sha256") ? input : MessageDigest.getInstance("SHA-256").digest(input));
        String header = "DKIM-Signature: " + fold(value + Base64.getEncoder().encodeToString(signature)) + "\r\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + message.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

    /** Where the header block ends (the index of the CRLF CRLF), or -1 for a message of headers only. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * SHA-256 of the body in relaxed canonical form (RFC 6376 3.4.4), in one pass over the
     * bytes: runs of spaces and tabs become one space, none at a line's end, empty lines at the
     * end dropped, and the body ends with one CRLF unless it is empty.
     */
    static byte[] relaxedBodyHash(byte[] m, int from) throws GeneralSecurityException {
        // canonicalized into one array by a plain loop, then hashed at once: many small digest
        // updates (one per word) cost more than the copy. The output never outgrows the input
        // read so far, plus the final CRLF.
        int n = m.length;
        byte[] out = new byte[Math.max(0, n - from) + 2];
        int o = 0;
        int pendingLines = 0;
        boolean space = false;
        for (int i = from; i < n; i++) {
            byte b = m[i];
            if (b == '\r' && i + 1 < n && m[i + 1] == '\n') {
                space = false;
                pendingLines++;
                i++;
                continue;
            }
            if (b == ' ' || b == '\t') {
                space = true;
                continue;
            }
            for (; pendingLines > 0; pendingLines--) {
                out[o++] = '\r';
                out[o++] = '\n';
            }
            if (space) {
                out[o++] = ' ';
                space = false;
            }
            out[o++] = b;
        }
        if (o > 0) {
            out[o++] = '\r';
            out[o++] = '\n';
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(out, 0, o);
        return digest.digest();
    }

    private static final byte[] CRLF = {'\r', '\n'};

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
