package org.orbita.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every broker behind {@link SendQueue} must do alike. */
abstract class SendQueueContract {

    protected abstract SendQueue open();

    SendQueue queue;
    final String name = "orbita.test." + System.nanoTime();

    @BeforeEach
    void connect() {
        queue = open();
    }

    @AfterEach
    void disconnect() {
        queue.purge(name);
        queue.close();
    }

    @Test
    void deliversWhatWasPublishedWithHeadersAndCountsDepth() throws InterruptedException {
        List<SendQueue.Message> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(new SendQueue.Message(("m" + i).getBytes(StandardCharsets.UTF_8), Map.of("n", Integer.toString(i)), false));
        }
        queue.publishAll(name, batch);
        queue.publish(name, "last".getBytes(StandardCharsets.UTF_8), Map.of("n", "50"));
        assertThat(queue.depth(name)).isEqualTo(51);

        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(51);
        try (SendQueue.Consumer c = queue.consume(name, 10, m -> {
            got.add(new String(m.body(), StandardCharsets.UTF_8) + "/" + m.headers().get("n"));
            all.countDown();
        })) {
            assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(got).hasSize(51).contains("m0/0", "m49/49", "last/50");
    }

    @Test
    void aMessageWhoseHandlerFailsIsDeliveredAgain() throws InterruptedException {
        queue.publish(name, "retry me".getBytes(StandardCharsets.UTF_8), Map.of());
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        List<Boolean> redelivered = new ArrayList<>();
        try (SendQueue.Consumer c = queue.consume(name, 1, m -> {
            synchronized (redelivered) {
                redelivered.add(m.redelivered());
            }
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("provider down");
            }
            done.countDown();
        })) {
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(redelivered).containsExactly(false, true);
        assertThat(waitForDepth(0)).isZero();
    }

    @Test
    void unacknowledgedMessagesReturnWhenTheConsumerGoesAway() throws InterruptedException {
        queue.publish(name, "held".getBytes(StandardCharsets.UTF_8), Map.of());
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SendQueue.Consumer stuck = queue.consume(name, 1, m -> {
            received.countDown();
            release.await(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the node died before finishing");
        });
        assertThat(received.await(20, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        stuck.close();
        assertThat(waitForDepth(1)).isEqualTo(1);
    }

    private long waitForDepth(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long depth;
        do {
            depth = queue.depth(name);
            if (depth == expected) {
                return depth;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return depth;
    }
}
