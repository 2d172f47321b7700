package org.orbita.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Items {@code from}…{@code to − 1} spread over a pool of threads, item i on thread i mod T; returns when all are done. */
final class Striped {

    interface Item {
        void run(int i) throws Exception;
    }

    private Striped() {}

    /** @throws Exception the first failure of an item, as it was thrown (it ends the run with its reason) */
    static void run(int threads, int from, int to, Item item) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = from + t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < to; i += threads) {
                        item.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
