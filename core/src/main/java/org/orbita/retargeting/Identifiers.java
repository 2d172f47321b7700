package org.orbita.retargeting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.orbita.profiles.Channel;

/**
 * The one normaliser and hasher every retargeting destination uses: an email trimmed and
 * lower-cased, a phone put in E.164 (as the SMS channel normalises it) and given as its digits —
 * with the {@code +} where the platform asks for E.164 itself (Google) — then SHA-256 in lower-case hex.
 */
public final class Identifiers {

    private Identifiers() {}

    /** A normalised email, or null when it is not one. */
    public static String email(Object raw) {
        if (raw == null) {
            return null;
        }
        String e = raw.toString().strip().toLowerCase(Locale.ROOT);
        int at = e.indexOf('@');
        return at > 0 && at == e.lastIndexOf('@') && at < e.length() - 1 && !e.contains(" ") ? e : null;
    }

    /** A phone's E.164 digits without the {@code +} ({@code 79161234567}), or null when it is not a number. */
    public static String phoneDigits(Object raw) {
        if (raw == null || raw.toString().isBlank()) {
            return null;
        }
        try {
            return Channel.SMS.normalize(raw).substring(1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A phone in E.164 with its {@code +} ({@code +79161234567}), or null. */
    public static String phoneE164(Object raw) {
        String digits = phoneDigits(raw);
        return digits == null ? null : "+" + digits;
    }

    /** SHA-256 of the text (UTF-8) in lower-case hex; null stays null. */
    public static String sha256(String normalised) {
        if (normalised == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
