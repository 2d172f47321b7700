package org.orbita.mta.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.orbita.mta.config.MtaConfig;

/**
 * The node's signing keys by domain ({@code mta.dkim.<domain>.selector} and
 * {@code mta.dkim.<domain>.key}, a PKCS#8 PEM file): a message is signed for the domain of its
 * From address, else of its envelope sender, when a key for it is configured.
 */
public final class DkimKeys {

    private final Map<String, DkimSigner> byDomain;

    public DkimKeys(Map<String, DkimSigner> byDomain) {
        this.byDomain = Map.copyOf(byDomain);
    }

    /** Whether every configured key signs through OpenSSL. */
    public boolean nativeCrypto() {
        return !byDomain.isEmpty() && byDomain.values().stream().allMatch(DkimSigner::nativeCrypto);
    }

    public int size() {
        return byDomain.size();
    }

    public static DkimKeys from(MtaConfig config) throws IOException {
        Map<String, DkimSigner> signers = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.prefixed("mta.dkim.").entrySet()) {
            if (!e.getKey().endsWith(".key")) {
                continue;
            }
            String domain = e.getKey().substring(0, e.getKey().length() - ".key".length()).toLowerCase(Locale.ROOT);
            String selector = config.text("mta.dkim." + domain + ".selector", null);
            if (selector == null) {
                throw new IllegalArgumentException("mta.dkim." + domain + ".selector is required with its key");
            }
            try {
                signers.put(domain, DkimSigner.of(domain, selector, Files.readString(Path.of(e.getValue())), Clock.systemUTC()));
            } catch (GeneralSecurityException ex) {
                throw new IllegalArgumentException("mta.dkim." + domain + ".key: " + ex.getMessage());
            }
        }
        return new DkimKeys(signers);
    }

    /** The message signed for its From (or envelope sender) domain, or as it was when no key fits. */
    public byte[] sign(String sender, byte[] message) throws GeneralSecurityException {
        if (byDomain.isEmpty()) {
            return message;
        }
        String domain = fromDomain(message);
        if (domain == null && sender != null && sender.contains("@")) {
            domain = sender.substring(sender.lastIndexOf('@') + 1);
        }
        DkimSigner signer = domain == null ? null : byDomain.get(domain.toLowerCase(Locale.ROOT));
        return signer == null ? message : signer.sign(message);
    }

    /** The domain of the From header's address, read from the header block only. */
    static String fromDomain(byte[] message) {
        String head = new String(message, 0, Math.min(message.length, 64 * 1024), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end >= 0) {
            head = head.substring(0, end);
        }
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "From:", 0, 5)) {
                String v = line.substring(5);
                int gt = v.lastIndexOf('>');
                int at = v.lastIndexOf('@', gt < 0 ? v.length() - 1 : gt);
                if (at < 0) {
                    return null;
                }
                String d = v.substring(at + 1, gt > at ? gt : v.length()).strip();
                return d.isEmpty() ? null : d;
            }
        }
        return null;
    }
}
