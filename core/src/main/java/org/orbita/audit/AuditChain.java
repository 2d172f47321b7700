package org.orbita.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit log's hash chain: a line's hash is the SHA-256 of the previous line's hash and every
 * field of the line, each length-prefixed so no two different lines read alike.
 */
public final class AuditChain {

    /** The {@code previous} of the very first line. */
    public static final String ORIGIN = "0".repeat(64);

    private AuditChain() {}

    public static String hash(AuditEntry e) {
        StringBuilder s = new StringBuilder();
        field(s, e.previous());
        field(s, Long.toString(e.seq()));
        field(s, Long.toString(e.at().toEpochMilli()));
        for (String f : new String[] {e.workspaceId(), e.actorKind(), e.actorId(), e.actorName(), e.address(), e.agent(), e.action(),
                e.objectKind(), e.objectId(), e.outcome(), e.detail(), e.before(), e.after()}) {
            field(s, f);
        }
        return sha256(s.toString());
    }

    private static void field(StringBuilder s, String value) {
        if (value == null) {
            s.append("-1:");
        } else {
            s.append(value.length()).append(':').append(value);
        }
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
