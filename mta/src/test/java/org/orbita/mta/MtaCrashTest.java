package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.mta.MtaTest.freePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL while it takes mail in loses nothing it acknowledged: after a
 * restart every message that got its 250 reaches the receiving server.
 */
class MtaCrashTest {

    @TempDir
    Path dir;

    Process start(Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.orbita.mta.MtaMain", config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        long end = System.currentTimeMillis() + 30_000;
        while (!Files.exists(dir.resolve("node.log")) || !Files.readString(dir.resolve("node.log")).contains("Orbita MTA")) {
            if (System.currentTimeMillis() > end || !p.isAlive()) {
                throw new AssertionError("the node did not start: " + Files.readString(dir.resolve("node.log")));
            }
            Thread.sleep(50);
        }
        return p;
    }

    @Test
    void killedWhileTakingMailInItDeliversEverythingItAcknowledgedAfterARestart() throws Exception {
        int smtpPort = freePort();
        int relayPort = freePort(); // nothing listens there before the crash: mail waits in the spool
        Path config = dir.resolve("mta.properties");
        Files.writeString(config, String.join("\n", "mta.hostname=crash.test", "mta.smtp.bind=127.0.0.1", "mta.smtp.port=" + smtpPort,
                "mta.http.bind=127.0.0.1", "mta.http.port=0", "mta.spool.dir=" + dir.resolve("spool"), "mta.route.*=127.0.0.1:" + relayPort,
                "mta.delivery.retry-base=1s", "mta.delivery.timeout=5s", ""));
        Process node = start(config);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t * 1_000_000;
            senders.add(Thread.ofPlatform().start(() -> send(smtpPort, first, acknowledged, stop)));
        }
        long until = System.currentTimeMillis() + 10_000;
        while (acknowledged.size() < 300 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        node.destroyForcibly(); // SIGKILL, mid-stream
        node.waitFor(10, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread s : senders) {
            s.join(10_000);
        }
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(300);

        try (ScriptedSink sink = new ScriptedSink(0, relayPort)) {
            Process again = start(config);
            try {
                long end = System.currentTimeMillis() + 60_000;
                Set<String> expected = ConcurrentHashMap.newKeySet();
                acknowledged.forEach(n -> expected.add("m" + n + "@crash.example"));
                while (!sink.delivered.containsAll(expected) && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                assertThat(sink.delivered).containsAll(expected);
                assertThat(Files.readString(dir.resolve("node.log"))).contains("spool recovered");
            } finally {
                again.destroyForcibly();
                again.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void killedWhileDeliveringItSendsTheRestAfterARestartWithFewDuplicates() throws Exception {
        int smtpPort = freePort();
        try (ScriptedSink sink = new ScriptedSink(0)) {
            sink.dataDelayMillis = 20;
            Path config = dir.resolve("mta.properties");
            Files.writeString(config, String.join("\n", "mta.hostname=crash.test", "mta.smtp.bind=127.0.0.1", "mta.smtp.port=" + smtpPort,
                    "mta.http.bind=127.0.0.1", "mta.http.port=0", "mta.spool.dir=" + dir.resolve("spool"), "mta.route.*=127.0.0.1:" + sink.port(),
                    "mta.delivery.max-connections=4", "mta.delivery.retry-base=1s", "mta.delivery.timeout=5s", ""));
            Process node = start(config);
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = Thread.ofPlatform().start(() -> send(smtpPort, 0, acknowledged, stop));
            long until = System.currentTimeMillis() + 10_000;
            while (acknowledged.size() < 400 && System.currentTimeMillis() < until) {
                Thread.sleep(10);
            }
            stop.set(true);
            sender.join(10_000);
            while (sink.delivered.size() < 50 && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
            int before = sink.delivered.size();
            node.destroyForcibly(); // SIGKILL while deliveries are in flight
            node.waitFor(10, TimeUnit.SECONDS);
            assertThat(before).isLessThan(acknowledged.size()); // the kill came mid-delivery

            Process again = start(config);
            try {
                Set<String> expected = ConcurrentHashMap.newKeySet();
                acknowledged.forEach(n -> expected.add("m" + n + "@crash.example"));
                long end = System.currentTimeMillis() + 60_000;
                while (!sink.delivered.containsAll(expected) && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                assertThat(sink.delivered).containsAll(expected);
                long duplicates = sink.delivered.size() - sink.delivered.stream().distinct().count();
                // at most what was in flight: 4 connections, each with one message on the wire
                assertThat(duplicates).isLessThanOrEqualTo(8);
            } finally {
                again.destroyForcibly();
                again.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends one-recipient messages until stopped, noting each that got its 250. */
    private static void send(int port, int first, Set<Integer> acknowledged, AtomicBoolean stop) {
        int n = first;
        while (!stop.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                out.write("EHLO sender.test\r\n".getBytes(StandardCharsets.US_ASCII));
                String line;
                while ((line = in.readLine()) != null && line.startsWith("250-")) {
                    // extensions
                }
                while (!stop.get()) {
                    n++;
                    String body = "Subject: " + n + "\r\n\r\n" + "x".repeat(2_000) + "\r\n.\r\n";
                    out.write(("MAIL FROM:<news@crash.example>\r\nRCPT TO:<m" + n + "@crash.example>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
                    expect(in, "250");
                    expect(in, "250");
                    expect(in, "354");
                    out.write(body.getBytes(StandardCharsets.US_ASCII));
                    expect(in, "250");
                    acknowledged.add(n);
                }
            } catch (IOException e) {
                try {
                    Thread.sleep(50); // the node is gone (killed): try until told to stop
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line = in.readLine();
        if (line == null || !line.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + line);
        }
    }
}
