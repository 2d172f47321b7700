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
    private final int parallelFrom;

    /** @param parallelFrom below this many items the caller's thread evaluates them alone */
    Evaluators(int threads, int parallelFrom) {
        ClassLoader loader = Evaluators.class.getClassLoader();
        this.parallelFrom = parallelFrom;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "segments-evaluate");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    /** Each item's result, in the items' order; the first failure is thrown as it was. */
    <T, R> List<R> map(List<T> items, Function<T, R> work) {
        List<R> out = new ArrayList<>(items.size());
        if (items.size() < parallelFrom) {
            items.forEach(i -> out.add(work.apply(i)));
            return out;
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> work.apply(item)));
        }
        for (Future<R> f : futures) {
            try {
                out.add(f.get());
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
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
