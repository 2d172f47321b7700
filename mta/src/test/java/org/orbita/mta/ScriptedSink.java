package org.orbita.mta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiving SMTP server on loopback that answers like real ones do when they refuse: a
 * recipient whose local part starts with {@code hard} gets 550 5.1.1, with {@code soft} 451
 * 4.2.0 the first {@code softFailures} times, with {@code full} 552 5.2.2; everyone else 250.
 * It offers PIPELINING, as large receivers do.
 */
final class ScriptedSink implements AutoCloseable {

    final ServerSocket server;
    final int softFailures;
    final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    /** The last message each recipient got (read as UTF-8). */
    final Map<String, String> bodies = new ConcurrentHashMap<>();
    final List<String> senders = new CopyOnWriteArrayList<>();
    /** "client-address helo-name" per EHLO. */
    final List<String> hellos = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    /** How long to think before answering the end of the data, to keep deliveries in flight. */
    volatile int dataDelayMillis;

    ScriptedSink(int softFailures) throws IOException {
        this(softFailures, 0);
    }

    ScriptedSink(int softFailures, int port) throws IOException {
        this.softFailures = softFailures;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        Thread.ofPlatform().daemon(true).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> session(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void session(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            write(out, "220 sink ESMTP");
            List<String> accepted = new CopyOnWriteArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO")) {
                    hellos.add(s.getInetAddress().getHostAddress() + " " + line.substring(5).strip());
                    write(out, "250-sink\r\n250-PIPELINING\r\n250 8BITMIME");
                } else if (upper.startsWith("MAIL")) {
                    accepted.clear();
                    senders.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                    write(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT")) {
                    String rcpt = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String local = rcpt.substring(0, rcpt.indexOf('@'));
                    int n = tries.computeIfAbsent(rcpt, k -> new AtomicInteger()).incrementAndGet();
                    if (local.startsWith("hard")) {
                        write(out, "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown");
                    } else if (local.startsWith("soft") && n <= softFailures) {
                        write(out, "451 4.2.0 Mailbox busy, try again later");
                    } else if (local.startsWith("rate") && n <= softFailures) {
                        write(out, "421 4.7.0 Too many messages, rate limit exceeded");
                    } else if (local.startsWith("full")) {
                        write(out, "552 5.2.2 Mailbox full");
                    } else {
                        accepted.add(rcpt);
                        write(out, "250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA")) {
                    if (accepted.isEmpty()) {
                        write(out, "554 5.5.1 No valid recipients");
                        continue;
                    }
                    write(out, "354 go");
                    StringBuilder message = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        message.append(line).append('\n');
                    }
                    for (String r : accepted) {
                        bodies.put(r, message.toString());
                    }
                    if (line == null) {
                        return; // the sender went away mid-message (killed): nothing was accepted
                    }
                    if (dataDelayMillis > 0) {
                        try {
                            Thread.sleep(dataDelayMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    delivered.addAll(accepted);
                    write(out, "250 2.0.0 Ok: queued");
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    write(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
