package org.orbita.mta.bounces;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls returned mail from a POP3 mailbox (RFC 1939; POP3S when asked) on a schedule: every
 * message is handed to the bounce reader and deleted only after it was read, so a crash leaves
 * it for the next round.
 */
public final class Pop3Mailbox implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Pop3Mailbox.class);

    private final String host;
    private final int port;
    private final boolean tls;
    private final String user;
    private final String password;
    private final Consumer<byte[]> reader;
    private final Thread poller;
    private volatile boolean closing;

    public Pop3Mailbox(String host, int port, boolean tls, String user, String password, Duration every, Consumer<byte[]> reader) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.reader = reader;
        this.poller = Thread.ofPlatform().name("pop3-bounces").daemon(true).start(() -> {
            while (!closing) {
                try {
                    int n = pull();
                    if (n > 0) {
                        log.info("read {} returned messages from {}@{}", n, user, host);
                    }
                } catch (IOException e) {
                    log.warn("bounce mailbox {}@{}:{}: {}", user, host, port, e.getMessage());
                }
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** One round: every message read, handed over and deleted; the number handled. */
    int pull() throws IOException {
        try (Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            ok(line(in));
            ok(command(in, out, "USER " + user));
            ok(command(in, out, "PASS " + password));
            String stat = ok(command(in, out, "STAT"));
            int count = Integer.parseInt(stat.split("\\s+")[1]);
            for (int i = 1; i <= count && !closing; i++) {
                ok(command(in, out, "RETR " + i));
                reader.accept(multiline(in));
                ok(command(in, out, "DELE " + i));
            }
            ok(command(in, out, "QUIT")); // deletions take effect at QUIT
            return count;
        }
    }

    private static String command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return line(in);
    }

    private static String ok(String reply) throws IOException {
        if (reply == null || !reply.startsWith("+OK")) {
            throw new IOException("the server said " + (reply == null ? "nothing" : reply.startsWith("-ERR") ? reply : "'" + reply + "'"));
        }
        return reply;
    }

    /** A multi-line response up to the lone ".", dot-unstuffed, lines ending in CRLF. */
    private static byte[] multiline(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String l = line(in);
            if (l == null) {
                throw new IOException("connection closed inside a message");
            }
            if (l.equals(".")) {
                return out.toByteArray();
            }
            out.write((l.startsWith("..") ? l.substring(1) : l).getBytes(StandardCharsets.ISO_8859_1));
            out.write('\r');
            out.write('\n');
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closing = true;
        poller.interrupt();
    }
}
