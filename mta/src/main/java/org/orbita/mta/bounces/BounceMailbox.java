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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls returned mail from a mailbox on a schedule, over POP3 (RFC 1939) or IMAP4rev1
 * (RFC 3501), with TLS on connect when asked (POP3S, IMAPS): every message is handed to the
 * bounce reader and deleted only after it was read, so a crash leaves it for the next round.
 */
public final class BounceMailbox implements Closeable {

    public enum Protocol {
        POP3(995), IMAP(993);

        final int tlsPort;

        Protocol(int tlsPort) {
            this.tlsPort = tlsPort;
        }

        /** The usual port: 995 / 993 with TLS, 110 / 143 without. */
        public int defaultPort(boolean tls) {
            return tls ? tlsPort : this == POP3 ? 110 : 143;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(BounceMailbox.class);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");

    private final Protocol protocol;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String user;
    private final String password;
    private final Consumer<byte[]> reader;
    private final Thread poller;
    private volatile boolean closing;

    public BounceMailbox(Protocol protocol, String host, int port, boolean tls, String user, String password, Duration every,
                         Consumer<byte[]> reader) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.reader = reader;
        this.poller = Thread.ofPlatform().name("bounce-mailbox").daemon(true).start(() -> {
            while (!closing) {
                try {
                    int n = pull();
                    if (n > 0) {
                        log.info("read {} returned messages from {}@{}", n, user, host);
                    }
                } catch (IOException e) {
                    log.warn("bounce mailbox {} {}@{}:{}: {}", protocol, user, host, port, e.getMessage());
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
            return protocol == Protocol.POP3 ? pop3(in, out) : imap(in, out);
        }
    }

    private int pop3(InputStream in, OutputStream out) throws IOException {
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

    private int imap(InputStream in, OutputStream out) throws IOException {
        String greeting = line(in);
        if (greeting == null || !greeting.startsWith("* OK")) {
            throw new IOException("the server said " + greeting);
        }
        Imap session = new Imap(in, out);
        session.run("LOGIN " + quoted(user) + " " + quoted(password));
        session.run("SELECT INBOX");
        List<Long> uids = new ArrayList<>();
        for (String line : session.run("UID SEARCH ALL").lines()) {
            if (line.toUpperCase(Locale.ROOT).startsWith("* SEARCH")) {
                for (String n : line.substring(8).strip().split("\\s+")) {
                    if (!n.isEmpty()) {
                        uids.add(Long.parseLong(n));
                    }
                }
            }
        }
        int handled = 0;
        for (long uid : uids) {
            if (closing) {
                break;
            }
            List<byte[]> literals = session.run("UID FETCH " + uid + " BODY.PEEK[]").literals();
            if (literals.isEmpty()) {
                continue; // gone since the search
            }
            reader.accept(literals.get(0));
            session.run("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
            handled++;
        }
        if (handled > 0) {
            session.run("EXPUNGE");
        }
        session.run("LOGOUT");
        return handled;
    }

    /** Tagged IMAP commands: each answer's untagged lines and literals, or an error with the server's words. */
    private static final class Imap {
        private final InputStream in;
        private final OutputStream out;
        private int tag;

        record Answer(List<String> lines, List<byte[]> literals) {}

        Imap(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        Answer run(String command) throws IOException {
            String t = "o" + (++tag);
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> lines = new ArrayList<>();
            List<byte[]> literals = new ArrayList<>();
            while (true) {
                String l = line(in);
                if (l == null) {
                    throw new IOException("connection closed after " + command.split(" ")[0]);
                }
                Matcher m = LITERAL.matcher(l);
                while (m.find()) { // a literal follows this line: its bytes, then the rest of the response line
                    literals.add(in.readNBytes(Integer.parseInt(m.group(1))));
                    String rest = line(in);
                    l = l + " " + (rest == null ? "" : rest);
                    m = LITERAL.matcher(rest == null ? "" : rest);
                }
                if (l.startsWith(t + " ")) {
                    String status = l.substring(t.length() + 1);
                    if (!status.toUpperCase(Locale.ROOT).startsWith("OK")) {
                        throw new IOException(command.split(" ")[0] + ": the server said " + status);
                    }
                    return new Answer(lines, literals);
                }
                lines.add(l);
            }
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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

    /** A POP3 multi-line response up to the lone ".", dot-unstuffed, lines ending in CRLF. */
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
