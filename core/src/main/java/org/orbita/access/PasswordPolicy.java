package org.orbita.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/**
 * A workspace's password rules (Keycloak's policies, the ones people use): a least length, how
 * many kinds of character (lower case, upper case, digits, others), never the email or its name
 * part, none of the last {@code history} passwords, none of the 30,000 most common passwords
 * ({@code common-passwords.txt}, zxcvbn's list, MIT), and a lifetime after which the password
 * must be changed (0: none).
 */
public record PasswordPolicy(int minLength, int classes, int history, int expiryDays, boolean refuseCommon) {

    public static final PasswordPolicy DEFAULT = new PasswordPolicy(12, 2, 3, 0, true);
    /** The longest password taken: bcrypt reads 72 bytes, and more only costs. */
    public static final int MAX_LENGTH = 128;

    private static final Set<String> COMMON = load();

    /** Checks the policy's own values, naming each bad one. */
    public PasswordPolicy checked(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (minLength < 8 || minLength > 64) {
            errors.add(FieldError.of(prefix + "minLength", String.valueOf(minLength), "must be between 8 and 64"));
        }
        if (classes < 1 || classes > 4) {
            errors.add(FieldError.of(prefix + "classes", String.valueOf(classes), "must be between 1 and 4 (lower case, upper case, digits, others)"));
        }
        if (history < 0 || history > 24) {
            errors.add(FieldError.of(prefix + "history", String.valueOf(history), "must be between 0 and 24"));
        }
        if (expiryDays < 0 || expiryDays > 3650) {
            errors.add(FieldError.of(prefix + "expiryDays", String.valueOf(expiryDays), "must be between 0 (never) and 3650"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return this;
    }

    /** The strictest of several workspaces' policies: what a member of them all must meet. */
    public static PasswordPolicy strictest(Collection<PasswordPolicy> policies) {
        PasswordPolicy out = null;
        for (PasswordPolicy p : policies) {
            out = out == null ? p : new PasswordPolicy(Math.max(out.minLength, p.minLength), Math.max(out.classes, p.classes),
                    Math.max(out.history, p.history), out.expiryDays == 0 ? p.expiryDays : p.expiryDays == 0 ? out.expiryDays
                    : Math.min(out.expiryDays, p.expiryDays), out.refuseCommon || p.refuseCommon);
        }
        return out == null ? DEFAULT : out;
    }

    /**
     * Why a new password is refused, or nothing.
     *
     * @param usedBefore whether it is one of the account's last {@link #history} passwords
     */
    public List<String> problems(String password, String email, Predicate<String> usedBefore) {
        List<String> out = new ArrayList<>();
        if (password == null || password.length() < minLength) {
            out.add("must be at least " + minLength + " characters");
            return out;
        }
        if (password.length() > MAX_LENGTH) {
            out.add("must be at most " + MAX_LENGTH + " characters");
            return out;
        }
        if (classesIn(password) < classes) {
            out.add("must mix at least " + classes + " kinds of character: lower case, upper case, digits, others");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (email != null && !email.isBlank()) {
            String e = email.strip().toLowerCase(Locale.ROOT);
            String local = e.contains("@") ? e.substring(0, e.indexOf('@')) : e;
            if (lower.contains(e) || local.length() >= 4 && lower.contains(local)) {
                out.add("must not contain your email or its name part");
            }
        }
        if (refuseCommon && isCommon(password)) {
            out.add("is one of the most common passwords: anyone guessing tries it first");
        }
        if (history > 0 && usedBefore.test(password)) {
            out.add("must not be one of your last " + history + " passwords");
        }
        return out;
    }

    /** Refuses a password against the policy with a 400 naming the field. */
    public void require(String field, String password, String email, Predicate<String> usedBefore) {
        List<String> problems = problems(password, email, usedBefore);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(field, null, String.join("; ", problems));
        }
    }

    /** Whether a password set at {@code changed} has expired at {@code now}. */
    public boolean expired(Instant changed, Instant now) {
        return expiryDays > 0 && changed != null && !now.isBefore(changed.plus(Duration.ofDays(expiryDays)));
    }

    /** Whether a password, or it without the digits and symbols people add at its end, is on the common list. */
    public static boolean isCommon(String password) {
        String lower = password.toLowerCase(Locale.ROOT);
        String stem = lower.replaceAll("[^\\p{L}]+$", "");
        return COMMON.contains(lower) || stem.length() >= 4 && COMMON.contains(stem);
    }

    static int classesIn(String password) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < password.length(); ) {
            int c = password.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the access package");
            }
            Set<String> words = new HashSet<>(40_000);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    words.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many passwords the list holds (the tests check it loaded whole). */
    static int commonCount() {
        return COMMON.size();
    }
}
