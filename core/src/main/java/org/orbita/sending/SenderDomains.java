package org.orbita.sending;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;

/**
 * The domains a workspace sends from, each with its DKIM key: made here (RSA 2048 or Ed25519)
 * or brought as a PKCS#8 PEM, the private key kept apart and never shown; the DNS records to
 * publish (DKIM, SPF, DMARC) and a check of what DNS answers; every MTA node given the key so
 * mail from the domain is signed. A domain belongs to one workspace.
 */
public final class SenderDomains {

    /** A sender domain as shown: its public DKIM key only. */
    public record SenderDomain(String workspaceId, String domain, String selector, String algorithm, String publicKey, String keySha256,
                               Instant createdAt) {}

    /** A DNS record to publish: its type, name, the value wanted, and why. */
    public record DnsRecord(String kind, String type, String name, String value, String purpose) {}

    /** What DNS answers for one record: {@code ok}, {@code missing}, {@code different} or {@code unanswered}. */
    public record RecordCheck(String kind, String name, String status, List<String> found, String hint) {}

    /** Whether each MTA node signs with the domain's key: {@code signing}, {@code missing}, {@code other-key} or {@code unreachable}. */
    public record NodeKey(String node, String status, String detail) {}

    private record PrivateDkimKey(String domain, String pem) {}

    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Documents<SenderDomain> domains;
    private final Documents<PrivateDkimKey> keys;
    private final MtaNodes nodes;
    private final DnsTxt dns;
    private final Clock clock;
    private final Access access;

    public SenderDomains(SettingsStore settings, MtaNodes nodes, DnsTxt dns, Clock clock, Access access) {
        this.access = access;
        this.domains = new Documents<>(settings, "sender-domains", SenderDomain.class, SenderDomain::domain);
        this.keys = new Documents<>(settings, "dkim-keys", PrivateDkimKey.class, PrivateDkimKey::domain);
        this.nodes = nodes;
        this.dns = dns;
        this.clock = clock;
    }

    public List<SenderDomain> list(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return domains.list().stream().filter(d -> d.workspaceId().equals(workspaceId)).toList();
    }

    public SenderDomain get(String workspaceId, String domain) {
        access.require(Resource.SETTINGS, Action.READ);
        return domains.get(normal(domain)).filter(d -> d.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new NotFoundException("sender domain", domain));
    }

    /**
     * Adds a domain with a new key ({@code algorithm} {@code rsa}, the default, or {@code ed25519})
     * or the PEM key given, and gives the key to every MTA node it can reach.
     */
    public SenderDomain add(String workspaceId, String domain, String selector, String algorithm, String pem) {
        access.require(Resource.SETTINGS, Action.WRITE);
        String d = normal(domain);
        if (!DOMAIN.matcher(d).matches()) {
            throw new InvalidInputException("domain", domain, "must be a domain name such as news.example.com");
        }
        String s = selector == null || selector.isBlank() ? "orbita" + clock.instant().atZone(java.time.ZoneOffset.UTC).getYear()
                : selector.strip().toLowerCase(Locale.ROOT);
        if (!SELECTOR.matcher(s).matches()) {
            throw new InvalidInputException("selector", selector, "must be letters, digits and hyphens, such as orbita1");
        }
        domains.get(d).ifPresent(existing -> {
            throw new InvalidInputException("domain", domain, existing.workspaceId().equals(workspaceId)
                    ? "is already a sender domain here" : "is a sender domain of another workspace");
        });
        String privatePem;
        String publicKey;
        String alg;
        try {
            if (pem != null && !pem.isBlank()) {
                PrivateKey key = readKey(pem);
                privatePem = pemOf(key);
                alg = key.getAlgorithm().equals("RSA") ? "rsa" : "ed25519";
                publicKey = publicKeyOf(key);
            } else {
                alg = algorithm == null || algorithm.isBlank() ? "rsa" : algorithm.strip().toLowerCase(Locale.ROOT);
                if (!alg.equals("rsa") && !alg.equals("ed25519")) {
                    throw new InvalidInputException("algorithm", algorithm, "must be rsa or ed25519");
                }
                KeyPairGenerator g = KeyPairGenerator.getInstance(alg.equals("rsa") ? "RSA" : "Ed25519");
                if (alg.equals("rsa")) {
                    g.initialize(2048);
                }
                KeyPair pair = g.generateKeyPair();
                privatePem = pemOf(pair.getPrivate());
                publicKey = dkimPublicKey(alg, pair.getPublic().getEncoded());
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidInputException("key", "(not shown)", "must be an RSA private key in PKCS#8 PEM (BEGIN PRIVATE KEY); Ed25519 keys are made here");
        }
        keys.put(new PrivateDkimKey(d, privatePem));
        SenderDomain added = domains.put(new SenderDomain(workspaceId, d, s, alg, publicKey, sha256(privatePem), clock.instant()));
        for (MtaNodes.Node n : nodes.nodes()) {
            try {
                nodes.putDkimKey(n, d, s, privatePem);
            } catch (IllegalStateException e) {
                // the node is down: the domain's page says so and gives it the key again
            }
        }
        return access.recorded(Resource.SETTINGS, Action.WRITE, null, added);
    }

    /** Removes the domain and its key, here and on every node that can be reached. */
    public void remove(String workspaceId, String domain) {
        access.require(Resource.SETTINGS, Action.WRITE);
        SenderDomain d = get(workspaceId, domain);
        for (MtaNodes.Node n : nodes.nodes()) {
            try {
                nodes.removeDkimKey(n, d.domain());
            } catch (IllegalStateException e) {
                // an unreachable node keeps signing until it is given the list again
            }
        }
        domains.delete(d.domain());
        keys.delete(d.domain());
        access.changed(Resource.SETTINGS, Action.WRITE, "sender-domain:" + d.domain(), d, null);
    }

    /** The records to publish: the DKIM key, an SPF policy and a DMARC policy. */
    public List<DnsRecord> records(SenderDomain d) {
        return List.of(
                new DnsRecord("dkim", "TXT", d.selector() + "._domainkey." + d.domain(),
                        "v=DKIM1; k=" + d.algorithm() + "; p=" + d.publicKey(), "receivers check the signature of your mail with this key"),
                new DnsRecord("spf", "TXT", d.domain(), "v=spf1 a mx ~all",
                        "names the servers that may send as the domain: add the addresses of your MTA nodes (ip4:…) or your relay's include:"),
                new DnsRecord("dmarc", "TXT", "_dmarc." + d.domain(), "v=DMARC1; p=none; rua=mailto:dmarc@" + d.domain(),
                        "tells receivers what to do with mail that fails SPF and DKIM; start with p=none, then quarantine"));
    }

    /** What DNS answers for each record of {@link #records}. */
    public List<RecordCheck> check(SenderDomain d) {
        List<RecordCheck> out = new ArrayList<>();
        for (DnsRecord r : records(d)) {
            List<String> found;
            try {
                found = dns.lookup(r.name()).stream().filter(t -> switch (r.kind()) {
                    case "dkim" -> t.contains("p=") || t.startsWith("v=DKIM1");
                    case "spf" -> t.toLowerCase(Locale.ROOT).startsWith("v=spf1");
                    default -> t.startsWith("v=DMARC1");
                }).toList();
            } catch (DnsTxt.Unanswered e) {
                out.add(new RecordCheck(r.kind(), r.name(), "unanswered", List.of(), e.getMessage()));
                continue;
            }
            String status;
            String hint;
            if (found.isEmpty()) {
                status = "missing";
                hint = "publish a TXT record at " + r.name();
            } else if (r.kind().equals("dkim")) {
                boolean same = found.stream().anyMatch(t -> d.publicKey().equals(tag(t, "p")));
                status = same ? "ok" : "different";
                hint = same ? "receivers can verify the signature" : "the key published is not this domain's key: publish the value shown";
            } else if (r.kind().equals("spf") && found.size() > 1) {
                status = "different";
                hint = "more than one SPF record: receivers treat that as an error (RFC 7208 4.5); merge them";
            } else {
                status = "ok";
                hint = r.kind().equals("spf") ? "check that it names your MTA nodes' addresses" : "policy " + tag(found.get(0), "p");
            }
            out.add(new RecordCheck(r.kind(), r.name(), status, found, hint));
        }
        return out;
    }

    /** Whether each node signs with this domain's key. */
    public List<NodeKey> nodeKeys(SenderDomain d) {
        List<NodeKey> out = new ArrayList<>();
        for (MtaNodes.Node n : nodes.nodes()) {
            try {
                MtaNodes.DkimKey k = nodes.dkimKeys(n).stream().filter(x -> x.domain().equals(d.domain())).findFirst().orElse(null);
                out.add(k == null ? new NodeKey(n.name(), "missing", "the node does not sign for the domain")
                        : d.keySha256().equals(k.keySha256()) ? new NodeKey(n.name(), "signing", "selector " + k.selector())
                        : new NodeKey(n.name(), "other-key", "the node signs with another key (" + k.source() + ")"));
            } catch (IllegalStateException e) {
                out.add(new NodeKey(n.name(), "unreachable", e.getMessage()));
            }
        }
        return out;
    }

    /**
     * Gives every domain's key to every node that lacks it (a node added or restored later);
     * returns how many nodes took a key. Unreachable nodes are left for the next time.
     */
    public int giveKeysToNodes() {
        access.require(Resource.SETTINGS, Action.WRITE);
        int given = 0;
        for (MtaNodes.Node n : nodes.nodes()) {
            try {
                Map<String, MtaNodes.DkimKey> has = new LinkedHashMap<>();
                nodes.dkimKeys(n).forEach(k -> has.put(k.domain(), k));
                for (SenderDomain d : domains.list()) {
                    MtaNodes.DkimKey k = has.get(d.domain());
                    boolean current = k != null && (d.keySha256().equals(k.keySha256()) || "settings".equals(k.source()));
                    String pem = keys.get(d.domain()).map(PrivateDkimKey::pem).orElse(null);
                    if (!current && pem != null) {
                        nodes.putDkimKey(n, d.domain(), d.selector(), pem);
                        given++;
                    }
                }
            } catch (IllegalStateException e) {
                // unreachable now: the next call tries again
            }
        }
        return given;
    }

    static String normal(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** A tag's value in a {@code tag=value; …} record, or null. */
    static String tag(String record, String name) {
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                return part.substring(eq + 1).replaceAll("\\s", "");
            }
        }
        return null;
    }

    private static PrivateKey readKey(String pem) throws GeneralSecurityException {
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        for (String alg : List.of("RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next kind
            }
        }
        throw new GeneralSecurityException("not a PKCS#8 RSA or Ed25519 private key");
    }

    /** The public half of a private key as the DKIM record's {@code p=}. */
    private static String publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return dkimPublicKey("rsa", KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())).getEncoded());
        }
        // the JDK does not derive an Ed25519 public key from the private one: such keys are made here
        throw new GeneralSecurityException("not an RSA key");
    }

    /** RSA: the SubjectPublicKeyInfo, Base64; Ed25519: the 32 raw bytes, Base64 (RFC 8463). */
    private static String dkimPublicKey(String alg, byte[] spki) {
        byte[] bytes = alg.equals("rsa") ? spki : java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String pemOf(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** As the MTA names a key: SHA-256 of its DER bytes, hex. */
    static String sha256(String pem) {
        try {
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
