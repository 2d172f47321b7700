package org.orbita.common;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered identifiers (UUID version 7, RFC 9562) that also increase within one
 * millisecond in this process, so ordering by id is ordering by creation. They identify,
 * they do not authorize: the random bits need not be unpredictable.
 */
public final class Ids {

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
                    sequence = ThreadLocalRandom.current().nextInt(0x800);
                }
            } else {
                sequence = ThreadLocalRandom.current().nextInt(0x800);
            }
            lastMillis = millis;
            seq = sequence;
        }
        long high = (millis << 16) | 0x7000L | seq;
        long low = 0x8000000000000000L | (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL);
        return new UUID(high, low).toString();
    }
}
