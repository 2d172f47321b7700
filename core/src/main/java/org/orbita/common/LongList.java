package org.orbita.common;

import java.util.Arrays;

/** A growable list of primitive longs (8 bytes each, no boxing): durations gathered to take their median. */
public final class LongList {

    private long[] values = new long[16];
    private int size;

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int size() {
        return size;
    }

    /** The median (the lower middle of an even count), or null when empty; sorts the values in place. */
    public Long medianOrNull() {
        if (size == 0) {
            return null;
        }
        Arrays.sort(values, 0, size);
        return values[(size - 1) / 2];
    }
}
