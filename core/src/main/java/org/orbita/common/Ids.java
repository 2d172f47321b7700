package org.orbita.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered identifiers (UUID version 7, RFC 9562) that also increase within one
 * millisecond in this process, so ordering by id is ordering by creation.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int sequence;

    private Ids() {}

    public static String next() {
        long millis;
        int seq;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) {
                    millis++;
                    sequence = RANDOM.nextInt(0x800);
                }
            } else {
                sequence = RANDOM.nextInt(0x800);
            }
            lastMillis = millis;
            seq = sequence;
        }
        long high = (millis << 16) | 0x7000L | seq;
        long low = 0x8000000000000000L | (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(high, low).toString();
    }
}
