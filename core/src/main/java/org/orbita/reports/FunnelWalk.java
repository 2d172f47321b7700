package org.orbita.reports;

import java.util.Arrays;
import org.orbita.events.EventFunnel;

/**
 * How far one profile went down a funnel, from its step events in time order: the steps it
 * reached (0 to n) and, for ordered and strict funnels, when it reached each along the chain it
 * went furthest with. Written once here for every event store.
 * <ul>
 *   <li><b>ordered</b> — each step after the one before, other events between allowed, the last
 *       within the window of the first; of several tries the one that went furthest counts (as
 *       ClickHouse's {@code windowFunnel}); one event never counts for two steps.</li>
 *   <li><b>strict</b> — as ordered, but the funnel's own events must come in its order: any other
 *       of them between two steps breaks the chain (a first step starts a new one).</li>
 *   <li><b>any</b> — the steps in any order: the most distinct steps done within the window of
 *       any first event; no times per step.</li>
 * </ul>
 */
public final class FunnelWalk {

    /** How the steps must follow each other. */
    public enum Mode { ORDERED, STRICT, ANY }

    /** A profile's result: steps reached, and the time of each reached step (ordered and strict; none in any order). */
    public record Reached(int steps, long[] times) {}

    private FunnelWalk() {}

    public static Reached walk(EventFunnel.Path path, int n, long windowMs, long periodEndMs, Mode mode) {
        return switch (mode) {
            case ORDERED -> ordered(path, n, windowMs, periodEndMs);
            case STRICT -> strict(path, n, windowMs, periodEndMs);
            case ANY -> any(path, n, windowMs, periodEndMs);
        };
    }

    private static Reached ordered(EventFunnel.Path p, int n, long window, long end) {
        // chains[k]: the times of the latest-starting chain that has done steps 0..k (null: none yet)
        long[][] chains = new long[n][];
        for (int i = 0; i < p.masks().length; i++) {
            int m = p.masks()[i];
            long t = p.times()[i];
            for (int k = n - 1; k >= 1; k--) {
                long[] before = chains[k - 1];
                if ((m & (1 << k)) != 0 && before != null && t - before[0] <= window && t >= before[k - 1]
                        && (chains[k] == null || chains[k][0] < before[0])) {
                    long[] c = Arrays.copyOf(before, n);
                    c[k] = t;
                    chains[k] = c;
                    m = 0; // this event took step k: it counts for no other step
                    break;
                }
            }
            if ((m & 1) != 0 && t < end) {
                long[] c = new long[n];
                Arrays.fill(c, -1);
                c[0] = t;
                chains[0] = c;
            }
        }
        for (int k = n - 1; k >= 0; k--) {
            if (chains[k] != null) {
                return new Reached(k + 1, chains[k]);
            }
        }
        return new Reached(0, new long[0]);
    }

    private static Reached strict(EventFunnel.Path p, int n, long window, long end) {
        long[] best = null;
        int bestLevel = 0;
        long[] chain = null;
        int level = 0;
        for (int i = 0; i < p.masks().length; i++) {
            int m = p.masks()[i];
            long t = p.times()[i];
            if (chain != null && level < n && (m & (1 << level)) != 0 && t - chain[0] <= window) {
                chain[level++] = t;
            } else if ((m & 1) != 0 && t < end) {
                chain = new long[n];
                Arrays.fill(chain, -1);
                chain[0] = t;
                level = 1;
            } else {
                chain = null;
                level = 0;
            }
            if (level > bestLevel) {
                bestLevel = level;
                best = chain.clone();
            }
        }
        return new Reached(bestLevel, best == null ? new long[0] : best);
    }

    private static Reached any(EventFunnel.Path p, int n, long window, long end) {
        int most = 0;
        int j = 0;
        int[] counts = new int[n];
        int distinct = 0;
        for (int i = 0; i < p.masks().length; i++) {
            if (p.times()[i] >= end) {
                break;
            }
            // the window [t_i, t_i + window]: add events up to its end
            while (j < p.masks().length && p.times()[j] - p.times()[i] <= window) {
                for (int k = 0; k < n; k++) {
                    if ((p.masks()[j] & (1 << k)) != 0 && counts[k]++ == 0) {
                        distinct++;
                    }
                }
                j++;
            }
            most = Math.max(most, distinct);
            for (int k = 0; k < n; k++) {
                if ((p.masks()[i] & (1 << k)) != 0 && --counts[k] == 0) {
                    distinct--;
                }
            }
        }
        return new Reached(most, new long[0]);
    }
}
