package org.orbita.ui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Work a page starts and shows when it is done (a live count), on threads of the UI's own: never
 * the common pool, whose threads cannot see the packaged application's classes.
 */
public final class Background {

    private static final ClassLoader LOADER = Background.class.getClassLoader();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ui-background");
        t.setDaemon(true);
        t.setContextClassLoader(LOADER);
        return t;
    });

    private Background() {}

    public static <T> CompletableFuture<T> supply(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, POOL);
    }
}
