package org.orbita.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orbita.mta.MtaTest.waitUntil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbita.mta.config.MtaConfig;

/** A receiving server that never greets, then drops connections mid-transaction, then recovers. */
class TroubledReceiverTest {

    @TempDir
    Path dir;

    private final AtomicReference<String> mode = new AtomicReference<>("silent");
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    @Test
    void stalledAndDroppedConnectionsTimeOutAndAreRetriedWithoutLeakingConnectionsThenAllIsDelivered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.incrementAndGet();
                        accepted.incrementAndGet();
                        Thread.ofVirtual().start(() -> converse(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Map<String, String> env = Map.of("MTA_SMTP_PORT", "0", "MTA_SMTP_BIND", "127.0.0.1",
                    "MTA_HTTP_PORT", "0", "MTA_HTTP_BIND", "127.0.0.1", "MTA_SPOOL_DIR", dir.resolve("spool").toString(),
                    "MTA_DELIVERY_RETRY_BASE", "1s", "MTA_DELIVERY_RETRY_MAX", "1s", "MTA_DELIVERY_TIMEOUT", "1s",
                    "MTA_DELIVERY_MAX_CONNECTIONS", "4", "MTA_ROUTE_*", "127.0.0.1:" + server.getLocalPort());
            try (MtaMain node = new MtaMain(new MtaConfig(null, env))) {
                for (int i = 0; i < 6; i++) {
                    node.inject("news@shop.example", List.of("r" + i + "@a.example"), ("Subject: " + i + "\r\n\r\nhi\r\n").getBytes(StandardCharsets.UTF_8)).get();
                }
                // a server that accepts and says nothing: the greeting times out, the mail waits
                waitUntil(() -> node.metrics.total("deferred") >= 6);
                assertThat(node.metrics.total("bounced")).isZero();
                mode.set("drop");
                int before = accepted.get();
                waitUntil(() -> accepted.get() > before + 1 && node.metrics.total("deferred") >= 12);
                assertThat(delivered).isEmpty();
                // the server recovers: everything queued arrives once
                mode.set("ok");
                waitUntil(() -> delivered.size() == 6);
                waitUntil(() -> node.spool.liveMessages() == 0);
                assertThat(delivered).containsExactlyInAnyOrder("r0@a.example", "r1@a.example", "r2@a.example", "r3@a.example",
                        "r4@a.example", "r5@a.example");
                // no connection or delivery thread is left behind
                waitUntil(() -> node.deliveries.queues().stream().allMatch(q -> q.connections() == 0));
                waitUntil(() -> open.get() == 0);
                assertThat(node.metrics.total("bounced")).isZero();
            }
        }
    }

    private void converse(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            String m = mode.get();
            if (m.equals("silent")) {
                while (in.read() >= 0) {
                    // say nothing until the client gives up and closes
                }
                return;
            }
            out.write("220 troubled.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String rcpt = null;
            for (String line; (line = in.readLine()) != null; ) {
                String cmd = line.toUpperCase(Locale.ROOT);
                if (cmd.startsWith("MAIL") && m.equals("drop")) {
                    return; // the connection drops in the middle of a transaction
                }
                if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                    out.write("250 troubled.example\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (cmd.startsWith("RCPT")) {
                    rcpt = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    out.write("250 2.1.5 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (cmd.equals("DATA")) {
                    out.write("354 go on\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    while (!".".equals(in.readLine())) {
                        // the message
                    }
                    delivered.add(rcpt);
                    out.write("250 2.0.0 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (cmd.equals("QUIT")) {
                    out.write("221 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                } else {
                    out.write("250 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client went away: the connection is counted closed below
        } finally {
            open.decrementAndGet();
        }
    }
}
