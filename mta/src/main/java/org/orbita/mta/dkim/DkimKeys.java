package org.orbita.mta.dkim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
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
 * The node's signing keys by domain: those of its settings ({@code mta.dkim.<domain>.selector}
 * and {@code mta.dkim.<domain>.key}, a PKCS#8 PEM file) and those the platform sets over the
 * admin API ({@link #put}), kept in the node's folder (readable by its owner only) so they
 * survive restarts. A message is signed for the domain of its From address, else of its
 * envelope sender, when a key for it is known.
 */
public final class DkimKeys {

    /** A key the node signs with, as the admin API lists it; {@code keySha256} identifies the key without showing it. */
    public record Listed(String domain, String selector, String algorithm, String source, String keySha256) {}

    private record Kept(String domain, String selector, String key) {}

    private record Entry(DkimSigner signer, Listed listed) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private volatile Map<String, Entry> byDomain;
    private final Path folder;

    public DkimKeys(Map<String, DkimSigner> configured) {
        this(configured, null);
    }

    private DkimKeys(Map<String, DkimSigner> configured, Path folder) {
        Map<String, Entry> all = new LinkedHashMap<>();
        configured.forEach((d, s) -> all.put(d, new Entry(s, new Listed(d, s.selector(), s.algorithm(), "settings", null))));
        this.byDomain = Map.copyOf(all);
        this.folder = folder;
    }

    /** Whether every configured key signs through OpenSSL. */
    public boolean nativeCrypto() {
        Map<String, Entry> now = byDomain;
        return !now.isEmpty() && now.values().stream().allMatch(e -> e.signer().nativeCrypto());
    }

    public int size() {
        return byDomain.size();
    }

    /** The keys of the settings, then those kept in {@code folder} from the admin API. */
    public static DkimKeys from(MtaConfig config, Path folder) throws IOException {
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
        DkimKeys keys = new DkimKeys(signers, folder);
        if (folder != null && Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
                for (Path f : files) {
                    Kept k = JSON.readValue(f.toFile(), Kept.class);
                    try {
                        keys.install(k);
                    } catch (GeneralSecurityException | IllegalArgumentException ex) {
                        throw new IOException(f + " holds a DKIM key this node cannot use: " + ex.getMessage(), ex);
                    }
                }
            }
        }
        return keys;
    }

    /** Every key by domain, without the keys themselves. */
    public List<Listed> list() {
        return byDomain.values().stream().map(Entry::listed).sorted(Comparator.comparing(Listed::domain)).toList();
    }

    /**
     * Signs {@code domain}'s mail with this PKCS#8 PEM key from now on, and after restarts.
     *
     * @throws IllegalArgumentException naming what is wrong (domain, selector, key), or when the
     *     node's settings hold a key for the domain (those are changed in the settings)
     */
    public synchronized Listed put(String domain, String selector, String pem) throws IOException {
        if (folder == null) {
            throw new IllegalStateException("this node keeps no DKIM keys of its own");
        }
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        String s = selector == null ? "" : selector.strip().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("domain: a domain name such as example.com");
        }
        if (!SELECTOR.matcher(s).matches()) {
            throw new IllegalArgumentException("selector: letters, digits and hyphens, such as orbita1");
        }
        Entry old = byDomain.get(d);
        if (old != null && old.listed().source().equals("settings")) {
            throw new IllegalArgumentException("domain: " + d + " is signed with the key of this node's settings (mta.dkim." + d + ")");
        }
        Kept k = new Kept(d, s, pem == null ? "" : pem);
        Listed listed;
        try {
            listed = install(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key: " + e.getMessage());
        }
        Files.createDirectories(folder);
        Path tmp = folder.resolve(d + ".json.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(k)));
            ch.force(true);
        }
        Files.move(tmp, folder.resolve(d + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return listed;
    }

    /** Stops signing for a domain the admin API gave a key for; false when there was none. */
    public synchronized boolean remove(String domain) throws IOException {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        Entry old = byDomain.get(d);
        if (old == null || !old.listed().source().equals("api")) {
            return false;
        }
        Files.deleteIfExists(folder.resolve(d + ".json"));
        Map<String, Entry> next = new LinkedHashMap<>(byDomain);
        next.remove(d);
        byDomain = Map.copyOf(next);
        return true;
    }

    private synchronized Listed install(Kept k) throws GeneralSecurityException {
        DkimSigner signer = DkimSigner.of(k.domain(), k.selector(), k.key(), Clock.systemUTC());
        Listed listed = new Listed(k.domain(), k.selector(), signer.algorithm(), "api", sha256(k.key()));
        Map<String, Entry> next = new LinkedHashMap<>(byDomain);
        next.put(k.domain(), new Entry(signer, listed));
        byDomain = Map.copyOf(next);
        return listed;
    }

    /** SHA-256 of a PEM key's DER bytes, hex: the platform compares it with its own copy. */
    public static String sha256(String pem) {
        try {
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message signed for its From (or envelope sender) domain, or as it was when no key fits. */
    public byte[] sign(String sender, byte[] message) throws GeneralSecurityException {
        Map<String, Entry> now = byDomain;
        if (now.isEmpty()) {
            return message;
        }
        String domain = fromDomain(message);
        if (domain == null && sender != null && sender.contains("@")) {
            domain = sender.substring(sender.lastIndexOf('@') + 1);
        }
        Entry entry = domain == null ? null : now.get(domain.toLowerCase(Locale.ROOT));
        return entry == null ? message : entry.signer().sign(message);
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
