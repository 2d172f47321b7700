package org.orbita.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Group commit: requests hand their writes to one writer thread, which takes all that wait (up
 * to a batch) and writes them together — one transaction and one append for many requests —
 * then answers each. A request waits for its own answer, so nothing is acknowledged before it
 * is stored. The writer completes every {@link Waiting#done()} of its batch; whatever it throws
 * reaches those it left unanswered, with its reason.
 *
 * @param <T> what a request hands over
 * @param <R> what it gets back
 */
public final class GroupCommit<T, R> {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One request's write, and where its answer goes. */
    public record Waiting<T, R>(T item, CompletableFuture<R> done) {}

    private final BlockingQueue<Waiting<T, R>> queue;
    private final int batch;
    private final Consumer<List<Waiting<T, R>>> writer;
    private final String what;

    /**
     * @param name the writer thread's name
     * @param what what is written, for the answers when it cannot be ("submissions", "calls")
     * @param capacity how many may wait; beyond that a request is answered "try again"
     * @param batch the most written together
     * @param writer writes a batch and completes each of its answers
     */
    public GroupCommit(String name, String what, int capacity, int batch, Consumer<List<Waiting<T, R>>> writer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.writer = writer;
        this.what = what;
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        t.start();
    }

    private void loop() {
        List<Waiting<T, R>> taken = new ArrayList<>(batch);
        while (true) {
            try {
                taken.add(queue.take());
                queue.drainTo(taken, batch - 1);
                writer.accept(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taken.forEach(w -> w.done().completeExceptionally(e));
                return;
            } catch (Throwable t) {
                taken.forEach(w -> w.done().completeExceptionally(t));
                if (t instanceof Error error) {
                    throw error;
                }
            }
            taken.clear();
        }
    }

    /**
     * Hands a write to the writer and waits until it is done.
     *
     * @throws UnavailableException when too many wait, or it was not written within 30 seconds
     * @throws RuntimeException what the writer answered it with
     */
    public R write(T item) {
        Waiting<T, R> w = new Waiting<>(item, new CompletableFuture<>());
        if (!queue.offer(w)) {
            throw new UnavailableException("too many " + what + " waiting to be written; try again", Duration.ofSeconds(1));
        }
        try {
            return w.done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what + " to be written", e);
        } catch (TimeoutException e) {
            throw new UnavailableException("not written within " + WAIT.toSeconds() + " seconds; try again", Duration.ofSeconds(5));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("writing " + what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Writes one on the caller's thread, as the writer would (a replay a person asked for, audited as theirs). */
    public R writeHere(T item) {
        Waiting<T, R> w = new Waiting<>(item, new CompletableFuture<>());
        writer.accept(List.of(w));
        if (!w.done().isDone()) {
            throw new IllegalStateException("the writer left " + what + " unanswered");
        }
        try {
            return w.done().getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("writing " + what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
