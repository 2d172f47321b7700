package org.orbita.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server on loopback that accepts every message and counts, per recipient, how many
 * messages it was given (ESMTP as a relay speaks it: EHLO, MAIL, RCPT, DATA, RSET, QUIT).
 */
final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    SmtpSink(int port) throws IOException {
        server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return null; // closed
                }
                threads.submit(() -> session(s));
            }
            return null;
        });
    }

    private Void session(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = s.getOutputStream()) {
            reply(out, "220 sink ESMTP");
            List<String> rcpts = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                String cmd = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (cmd) {
                    case "EHLO" -> reply(out, "250-sink\r\n250 8BITMIME");
                    case "HELO", "MAIL", "NOOP" -> reply(out, "250 ok");
                    case "RSET" -> {
                        rcpts.clear();
                        reply(out, "250 ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(line.replaceAll("(?i).*<([^>]*)>.*", "$1").toLowerCase(Locale.ROOT));
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go on");
                        for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                            // the message itself is not kept
                        }
                        rcpts.forEach(r -> received.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet());
                        rcpts.clear();
                        reply(out, "250 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return null;
                    }
                    default -> reply(out, "502 not here");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
