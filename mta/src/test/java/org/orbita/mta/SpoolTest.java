package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.spool.Spool;
import org.orbita.mta.spool.SpooledMessage;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void whatWasAcceptedAndNotDoneComesBackAfterARestart() throws Exception {
        List<SpooledMessage> accepted = new ArrayList<>();
        try (Spool spool = new Spool(dir, 1 << 20)) {
            for (int i = 0; i < 50; i++) {
                accepted.add(spool.accept("news@shop.example", List.of("a" + i + "@x.example", "b" + i + "@y.example"),
                        ("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.UTF_8)).get());
            }
            for (int i = 0; i < 50; i += 2) {
                spool.done(accepted.get(i).id(), 0);
                spool.done(accepted.get(i).id(), 1);
            }
            spool.done(accepted.get(1).id(), 1);
            assertThat(spool.liveMessages()).isEqualTo(25);
            assertThat(new String(spool.body(accepted.get(7)), StandardCharsets.UTF_8)).isEqualTo("Subject: 7\r\n\r\nbody 7\r\n");
        }
        try (Spool spool = new Spool(dir, 1 << 20)) {
            List<Spool.Recovered> left = spool.recovered();
            assertThat(left).hasSize(25);
            assertThat(left.get(0).message().id()).isEqualTo(accepted.get(1).id());
            assertThat(left.get(0).pendingRecipients()).containsExactly(0);
            assertThat(left.get(1).pendingRecipients()).containsExactly(0, 1);
            assertThat(new String(spool.body(left.get(1).message()), StandardCharsets.UTF_8)).isEqualTo("Subject: 3\r\n\r\nbody 3\r\n");
            assertThat(left.get(1).message().recipients()).containsExactly("a3@x.example", "b3@y.example");
        }
    }

    @Test
    void aRecordCutShortByACrashIsDroppedAndTheRestKept() throws Exception {
        try (Spool spool = new Spool(dir, 1 << 20)) {
            spool.accept("s@x.example", List.of("r@y.example"), "one".getBytes(StandardCharsets.UTF_8)).get();
            spool.accept("s@x.example", List.of("r@y.example"), "two".getBytes(StandardCharsets.UTF_8)).get();
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> Files.isRegularFile(p)).sorted().toList().get(0);
        }
        long size = Files.size(segment);
        try (var ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // the second record's tail never reached the disk
        }
        try (Spool spool = new Spool(dir, 1 << 20)) {
            assertThat(spool.recovered()).hasSize(1);
            assertThat(new String(spool.body(spool.recovered().get(0).message()), StandardCharsets.UTF_8)).isEqualTo("one");
            SpooledMessage next = spool.accept("s@x.example", List.of("r@y.example"), "three".getBytes(StandardCharsets.UTF_8)).get();
            assertThat(new String(spool.body(next), StandardCharsets.UTF_8)).isEqualTo("three");
        }
    }

    @Test
    void segmentsWhoseMailIsAllDoneAreDeleted() throws Exception {
        byte[] body = new byte[40_000];
        try (Spool spool = new Spool(dir, 100_000)) {
            for (int i = 0; i < 20; i++) {
                SpooledMessage m = spool.accept("s@x.example", List.of("r@y.example"), body).get();
                spool.done(m.id(), 0);
            }
            spool.accept("s@x.example", List.of("r@y.example"), body).get();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isLessThanOrEqualTo(3);
        }
        try (Spool spool = new Spool(dir, 100_000)) {
            assertThat(spool.recovered()).hasSize(1);
        }
    }

    @Test
    void belowTheFreeSpaceFloorNothingIsAccepted() throws Exception {
        try (Spool spool = new Spool(dir, 1 << 20, Long.MAX_VALUE / 4)) {
            var refused = spool.accept("s@x.example", List.of("r@y.example"), "one".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(refused::get).hasCauseInstanceOf(Spool.Full.class).hasMessageContaining("floor");
        }
        try (Spool spool = new Spool(dir, 1 << 20)) {
            assertThat(spool.recovered()).isEmpty();
        }
    }

    /** A real full disk: a 2 MB tmpfs (needs root, as CI runs), filled by a ballast file. */
    @Test
    void aDiskThatFillsUpRefusesMailKeepsWhatItAcceptedAndTakesMailAgainOnceThereIsRoom() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small file system needs root");
        Path mount = Files.createTempDirectory("orbita-full-disk");
        run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        try {
            Path spoolDir = mount.resolve("spool");
            Path ballast = mount.resolve("ballast");
            List<SpooledMessage> accepted = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            Throwable refusal = null;
            try (Spool spool = new Spool(spoolDir, 256 * 1024)) {
                Files.write(ballast, new byte[(int) (Files.getFileStore(mount).getUsableSpace() - 300_000)]);
                for (int i = 0; i < 20 && refusal == null; i++) {
                    byte[] body = new byte[60_000];
                    Arrays.fill(body, (byte) ('a' + i));
                    try {
                        accepted.add(spool.accept("s@x.example", List.of("r" + i + "@y.example"), body).get());
                        bodies.add(body);
                    } catch (ExecutionException e) {
                        refusal = e.getCause();
                    }
                }
                assertThat(refusal).as("the disk filled up").isInstanceOf(Spool.Full.class);
                assertThat(accepted).hasSizeBetween(1, 5);
                Files.delete(ballast);
                byte[] later = "after room was made".getBytes(StandardCharsets.UTF_8);
                accepted.add(spool.accept("s@x.example", List.of("late@y.example"), later).get());
                bodies.add(later);
            }
            try (Spool spool = new Spool(spoolDir, 256 * 1024)) {
                List<Spool.Recovered> left = spool.recovered();
                assertThat(left).extracting(r -> r.message().id()).containsExactlyElementsOf(accepted.stream().map(SpooledMessage::id).toList());
                for (int i = 0; i < left.size(); i++) {
                    assertThat(spool.body(left.get(i).message())).isEqualTo(bodies.get(i));
                }
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
