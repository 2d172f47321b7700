package org.orbita.promo;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;

/**
 * A promo code's shape, as a marketer writes it: {@code SALE-####-XXXX} — {@code #} a digit,
 * {@code X} a letter, {@code *} a letter or digit, anything else itself ({@code \} before one of
 * those three makes it literal). Letters come from {@link #LETTERS} (no I, O: they read as 1, 0).
 * With {@code checkDigit}, a Luhn mod N character over the code's variable characters is added at the
 * end, so a mistyped code is told from a real one without a lookup.
 *
 * <p>Generation is collision-free without remembering what was made: the n-th code of a pool is
 * the pattern's {@code permute(n)}-th value, {@code permute} being a keyed bijection of
 * {@code [0, capacity)} (a four-round Feistel network on the smallest even power of two that covers
 * it, AES-128 of the round and half as its round function, cycle-walking back into the range). The codes of a pool,
 * numbered from 0, are therefore all different and, without the pool's key, not guessable from one
 * another.
 */
public final class CodePattern {

    public static final String DIGITS = "0123456789";
    public static final String LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    public static final String ALPHANUMERIC = DIGITS + LETTERS;
    /** The check character's alphabet (all a code's variable characters are in it). */
    static final String CHECK = ALPHANUMERIC;
    public static final int MAX_LENGTH = 64;

    private final String pattern;
    private final boolean checkDigit;
    /** Per character of the code: its alphabet, or null for a literal. */
    private final List<String> alphabets = new ArrayList<>();
    private final StringBuilder literals = new StringBuilder();
    private final long capacity;

    public CodePattern(String pattern, boolean checkDigit) {
        if (pattern == null || pattern.isBlank() || pattern.length() > MAX_LENGTH) {
            throw new InvalidInputException("pattern", pattern, "1 to " + MAX_LENGTH + " characters: # a digit, X a letter, * either, \\ before one"
                    + " of them for itself");
        }
        this.pattern = pattern;
        this.checkDigit = checkDigit;
        double size = 1;
        long exact = 1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            String alphabet = switch (c) {
                case '#' -> DIGITS;
                case 'X' -> LETTERS;
                case '*' -> ALPHANUMERIC;
                default -> null;
            };
            if (c == '\\' && i + 1 < pattern.length()) {
                c = pattern.charAt(++i);
                alphabet = null;
            }
            if (alphabet == null && (c < 0x21 || c > 0x7e)) {
                throw new InvalidInputException("pattern", pattern, "letters, digits and printable ASCII signs only (no spaces)");
            }
            alphabets.add(alphabet);
            literals.append(alphabet == null ? c : '\0');
            if (alphabet != null) {
                size *= alphabet.length();
                exact = size > Long.MAX_VALUE / 64 ? Long.MAX_VALUE / 64 : exact * alphabet.length();
            }
        }
        if (exact < 2) {
            throw new InvalidInputException("pattern", pattern, "needs at least one # X or * to vary");
        }
        this.capacity = exact;
    }

    public String pattern() {
        return pattern;
    }

    /** How many different codes the pattern has (capped near 1.4e17: more than any pool needs). */
    public long capacity() {
        return capacity;
    }

    /** The pattern's {@code index}-th code, {@code 0 <= index < capacity}. */
    public String code(long index) {
        if (index < 0 || index >= capacity) {
            throw new IllegalArgumentException("index " + index + " outside [0, " + capacity + ")");
        }
        char[] out = new char[alphabets.size()];
        long rest = index;
        StringBuilder variable = new StringBuilder();
        for (int i = alphabets.size() - 1; i >= 0; i--) {
            String a = alphabets.get(i);
            if (a == null) {
                out[i] = literals.charAt(i);
            } else {
                out[i] = a.charAt((int) (rest % a.length()));
                rest /= a.length();
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (alphabets.get(i) != null) {
                variable.append(out[i]);
            }
        }
        String code = new String(out);
        return checkDigit ? code + check(variable) : code;
    }

    /** Whether a code has this pattern's shape (and, with a check digit, the right one). */
    public boolean matches(String code) {
        if (code == null || code.length() != alphabets.size() + (checkDigit ? 1 : 0)) {
            return false;
        }
        StringBuilder variable = new StringBuilder();
        for (int i = 0; i < alphabets.size(); i++) {
            String a = alphabets.get(i);
            char c = code.charAt(i);
            if (a == null ? c != literals.charAt(i) : a.indexOf(c) < 0) {
                return false;
            }
            if (a != null) {
                variable.append(c);
            }
        }
        return !checkDigit || code.charAt(code.length() - 1) == check(variable);
    }

    /** Luhn mod N over the alphabet {@link #CHECK}: catches every single mistyped character and most swaps of neighbours. */
    static char check(CharSequence s) {
        int n = CHECK.length();
        int factor = 2;
        int sum = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            int addend = factor * CHECK.indexOf(s.charAt(i));
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }
        return CHECK.charAt((n - sum % n) % n);
    }

    /**
     * A keyed bijection of {@code [0, capacity)}: the order a pool hands its pattern's codes out in.
     * Not thread-safe (one per generating thread).
     */
    public static final class Permutation {

        private final long capacity;
        private final int halfBits;
        private final long halfMask;
        private final javax.crypto.Cipher aes;
        private final byte[] in = new byte[16];
        private final byte[] out = new byte[16];

        public Permutation(long capacity, byte[] key) {
            if (capacity < 2) {
                throw new IllegalArgumentException("capacity " + capacity);
            }
            int bits = 64 - Long.numberOfLeadingZeros(capacity - 1);
            bits += bits % 2;
            this.capacity = capacity;
            this.halfBits = Math.max(1, bits / 2);
            this.halfMask = (1L << halfBits) - 1;
            try {
                byte[] k = java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256").digest(key), 16);
                this.aes = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
                this.aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
            } catch (NoSuchAlgorithmException | InvalidKeyException | javax.crypto.NoSuchPaddingException e) {
                throw new IllegalStateException("AES and SHA-256 are part of every JDK", e);
            }
        }

        public long apply(long index) {
            if (index < 0 || index >= capacity) {
                throw new IllegalArgumentException("index " + index + " outside [0, " + capacity + ")");
            }
            long x = index;
            do {
                x = encrypt(x); // cycle-walking: a value past the range is encrypted again until it falls inside
            } while (x >= capacity);
            return x;
        }

        private long encrypt(long x) {
            long left = x >>> halfBits;
            long right = x & halfMask;
            for (int round = 0; round < 4; round++) {
                long next = left ^ (round(round, right) & halfMask);
                left = right;
                right = next;
            }
            return (left << halfBits) | right;
        }

        private long round(int round, long half) {
            in[0] = (byte) round;
            for (int i = 0; i < 8; i++) {
                in[1 + i] = (byte) (half >>> (8 * i));
            }
            try {
                aes.doFinal(in, 0, 16, out, 0);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("AES on one block cannot fail", e);
            }
            return ByteBuffer.wrap(out).getLong() & Long.MAX_VALUE;
        }
    }

    /** Problems with a request for {@code count} codes of this pattern from position {@code from}, or none. */
    public List<FieldError> fits(long from, long count) {
        List<FieldError> errors = new ArrayList<>();
        if (count < 1) {
            errors.add(FieldError.of("count", count, "at least 1"));
        } else if (from + count > capacity) {
            errors.add(FieldError.of("count", count, "the pattern " + pattern + " has " + capacity + " codes, " + Math.max(0, capacity - from)
                    + " of them not made yet: make it longer"));
        }
        return errors;
    }
}
