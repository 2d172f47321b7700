package org.orbita.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.orbita.storage.StorageException;

/** Requests' writes gathered by one writer: each answered with its own result, a failure reaching the requests of its batch. */
class GroupCommitTest {

    @Test
    void concurrentRequestsAreWrittenTogetherAndEachGetsItsOwnAnswer() throws Exception {
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> doubling = new GroupCommit<>("test-writer", "numbers", 1_000, 64, batch -> {
            sizes.add(batch.size());
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // a commit's time, for others to queue behind
            batch.forEach(w -> w.done().complete(w.item() * 2));
        });
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                answers.add(pool.submit(() -> doubling.write(n)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_000);
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).as("some batches hold many").isGreaterThan(1).isLessThanOrEqualTo(64);
    }

    @Test
    void whatTheWriterThrowsReachesTheRequestsItLeftUnanswered() {
        GroupCommit<String, String> failing = new GroupCommit<>("test-failing", "texts", 10, 8, batch -> {
            throw new StorageException("the disk is full", null);
        });
        assertThatThrownBy(() -> failing.write("a")).isInstanceOf(StorageException.class).hasMessage("the disk is full");
        GroupCommit<String, String> refusing = new GroupCommit<>("test-refusing", "texts", 10, 8,
                batch -> batch.forEach(w -> w.done().completeExceptionally(new InvalidInputException("text", w.item(), "too short"))));
        assertThatThrownBy(() -> refusing.write("a")).isInstanceOf(InvalidInputException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> refusing.writeHere("b")).as("on the caller's thread").isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void aFullQueueIsAnsweredTryAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> stuck = new GroupCommit<>("test-stuck", "numbers", 1, 1, batch -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            batch.forEach(w -> w.done().complete(w.item()));
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = pool.submit(() -> stuck.write(1)); // taken by the writer, which waits
            Thread.sleep(200);
            Future<Integer> second = pool.submit(() -> stuck.write(2)); // fills the queue of one
            Thread.sleep(200);
            assertThatThrownBy(() -> stuck.write(3)).isInstanceOf(UnavailableException.class).hasMessageContaining("too many numbers");
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            pool.shutdown();
        }
    }
}
