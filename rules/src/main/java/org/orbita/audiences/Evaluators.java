package org.orbita.audiences;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Threads that evaluate profiles against rules, several at once. The platform's own, made with
 * the class loader that loaded the rules engine: {@code ForkJoinPool.commonPool()} threads see
 * only the system class loader, which in the packaged application cannot find Drools' session
 * runtime (the first session made there failed, and every evaluation after it).
 */
final class Evaluators implements AutoCloseable {

    private final ExecutorService pool;
    private final int threads;
    private final int parallelFrom;

    /** @param parallelFrom below this many items the caller's thread evaluates them alone */
    Evaluators(int threads, int parallelFrom) {
        ClassLoader loader = Evaluators.class.getClassLoader();
        this.parallelFrom = parallelFrom;
        // the caller's thread takes a slice too
        this.threads = Math.max(1, threads - 1);
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "segments-evaluate");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    /**
     * Each item's result, in the items' order; the first failure is thrown as it was. The items
     * are cut into one slice per thread, the caller's thread taking the last: a task per item
     * cost more than some evaluations.
     */
    <T, R> List<R> map(List<T> items, Function<T, R> work) {
        List<R> out = new ArrayList<>(items.size());
        if (items.size() < parallelFrom) {
            items.forEach(i -> out.add(work.apply(i)));
            return out;
        }
        int slices = Math.min(threads + 1, items.size());
        List<Future<List<R>>> futures = new ArrayList<>(slices - 1);
        for (int k = 0; k < slices - 1; k++) {
            List<T> slice = items.subList(items.size() * k / slices, items.size() * (k + 1) / slices);
            futures.add(pool.submit(() -> slice.stream().map(work).toList()));
        }
        List<R> last;
        try {
            last = items.subList(items.size() * (slices - 1) / slices, items.size()).stream().map(work).toList();
        } catch (RuntimeException | Error e) {
            futures.forEach(other -> other.cancel(false));
            throw e;
        }
        for (Future<List<R>> f : futures) {
            try {
                out.addAll(f.get());
            } catch (ExecutionException e) {
                futures.forEach(other -> other.cancel(false));
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                futures.forEach(other -> other.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating profiles", e);
            }
        }
        out.addAll(last);
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
