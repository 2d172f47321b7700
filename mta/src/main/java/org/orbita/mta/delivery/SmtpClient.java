package org.orbita.mta.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One outbound SMTP connection: greeting, EHLO, opportunistic STARTTLS, then messages sent
 * with PIPELINING when the server offers it (MAIL, every RCPT and DATA in one write), reused
 * for as many messages as the caller sends.
 */
public final class SmtpClient implements Closeable {

    /** Whether to use STARTTLS: when offered (certificate not checked, as MTAs do), required, or never. */
    public enum Tls { OPPORTUNISTIC, REQUIRED, DISABLED }

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean pipelining;
    private boolean eightBit;
    private boolean startTls;
    private boolean secure;
    private final String host;

    private SmtpClient(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.host = host;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects and greets; the reply that ended it if the server refused. */
    static SmtpClient open(InetSocketAddress address, InetAddress bindFrom, String helo, Tls tls, int timeoutMillis) throws IOException {
        return open(address, bindFrom, helo, tls, timeoutMillis, null);
    }

    /**
     * Connects, greets and, for a relay with a login, authenticates (AUTH PLAIN, RFC 4954) —
     * only over TLS: a login is not sent in the clear.
     */
    static SmtpClient open(InetSocketAddress address, InetAddress bindFrom, String helo, Tls tls, int timeoutMillis, Router.Credentials login)
            throws IOException {
        Socket s = new Socket();
        if (bindFrom != null) {
            s.bind(new InetSocketAddress(bindFrom, 0));
        }
        s.connect(address, timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        s.setTcpNoDelay(true);
        SmtpClient c = new SmtpClient(s, address.getHostString());
        try {
            Reply greeting = c.read();
            if (greeting.code() != 220) {
                throw new Refused(greeting);
            }
            c.hello(helo);
            if (c.startTls && tls != Tls.DISABLED) {
                c.command("STARTTLS");
                c.out.flush();
                Reply r = c.read();
                if (r.code() == 220) {
                    c.upgrade();
                    c.hello(helo);
                } else if (tls == Tls.REQUIRED) {
                    throw new Refused(r);
                }
            } else if (tls == Tls.REQUIRED) {
                throw new Refused(new Reply(530, "5.7.10", "the server does not offer STARTTLS, which the rules require"));
            }
            if (login != null) {
                if (!c.secure) {
                    // 4xx: a relay set up wrong holds the mail back rather than bouncing it
                    throw new Refused(new Reply(454, "4.7.10", "the relay's login is not sent without TLS, and the relay does not offer STARTTLS"));
                }
                String token = Base64.getEncoder().encodeToString(("\0" + login.user() + "\0" + login.password())
                        .getBytes(StandardCharsets.UTF_8));
                c.command("AUTH PLAIN " + token);
                c.out.flush();
                Reply r = c.read();
                if (r.code() != 235) {
                    throw new Refused(new Reply(454, "4.7.8", "the relay refused the login: " + r));
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The server refused the connection or the session set-up. */
    static final class Refused extends IOException {
        final Reply reply;

        Refused(Reply reply) {
            super(reply.toString());
            this.reply = reply;
        }
    }

    private void hello(String helo) throws IOException {
        command("EHLO " + helo);
        out.flush();
        List<String> lines = new ArrayList<>();
        Reply r = read(lines);
        if (r.code() != 250) {
            command("HELO " + helo);
            out.flush();
            r = read();
            if (r.code() != 250) {
                throw new Refused(r);
            }
            return;
        }
        for (String l : lines) {
            String ext = l.toUpperCase(Locale.ROOT);
            pipelining |= ext.equals("PIPELINING");
            eightBit |= ext.equals("8BITMIME");
            startTls |= ext.equals("STARTTLS");
        }
    }

    private void upgrade() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAnyone()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            socket = tls;
            in = new BufferedInputStream(tls.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(tls.getOutputStream(), 64 * 1024);
            secure = true;
            startTls = false;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed", e);
        }
    }

    boolean secure() {
        return secure;
    }

    /** What the server said to one message: to MAIL, to each RCPT (in order) and to the data. */
    record Sent(Reply mail, List<Reply> recipients, Reply data) {}


    /**
     * Sends one message to some recipients. Recipients the server refused get their reply and
     * the rest still receive the message; when all are refused no data is sent.
     */
    Sent send(String sender, List<String> recipients, byte[] message) throws IOException {
        boolean utf8 = !isAscii(sender) || recipients.stream().anyMatch(r -> !isAscii(r));
        command("MAIL FROM:<" + sender + ">" + (eightBit ? " BODY=8BITMIME" : "") + (utf8 ? " SMTPUTF8" : ""));
        if (!pipelining) {
            out.flush();
        }
        List<Reply> rcpt = new ArrayList<>();
        Reply mail;
        if (pipelining) {
            for (String r : recipients) {
                command("RCPT TO:<" + r + ">");
            }
            command("DATA");
            out.flush();
            mail = read();
            for (int i = 0; i < recipients.size(); i++) {
                rcpt.add(read());
            }
            Reply go = read();
            if (go.code() != 354) {
                if (mail.positive()) {
                    command("RSET");
                    out.flush();
                    read();
                }
                return new Sent(mail, rcpt, go);
            }
        } else {
            mail = read();
            if (!mail.positive()) {
                return new Sent(mail, List.of(), mail);
            }
            for (String r : recipients) {
                command("RCPT TO:<" + r + ">");
                out.flush();
                rcpt.add(read());
            }
            if (rcpt.stream().noneMatch(Reply::positive)) {
                command("RSET");
                out.flush();
                read();
                return new Sent(mail, rcpt, rcpt.get(rcpt.size() - 1));
            }
            command("DATA");
            out.flush();
            Reply go = read();
            if (go.code() != 354) {
                return new Sent(mail, rcpt, go);
            }
        }
        writeDotStuffed(message);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new Sent(mail, rcpt, read());
    }

    /** Ends the conversation politely; the connection is closed either way. */
    @Override
    public void close() {
        try {
            command("QUIT");
            out.flush();
            socket.setSoTimeout(2_000);
            read();
        } catch (IOException e) {
            // the connection is going away anyway
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    /** The message as DATA: lines starting with a dot get another, bare LFs become CRLF; clean runs go out in one write. */
    private void writeDotStuffed(byte[] m) throws IOException {
        int start = 0;
        for (int i = 0; i < m.length; i++) {
            byte b = m[i];
            if (b == '.' && (i == 0 || m[i - 1] == '\n')) {
                out.write(m, start, i - start);
                out.write('.');
                start = i;
            } else if (b == '\n' && (i == 0 || m[i - 1] != '\r')) {
                out.write(m, start, i - start);
                out.write('\r');
                start = i;
            }
        }
        out.write(m, start, m.length - start);
        if (m.length > 0 && m[m.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
    }

    private void command(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private Reply read() throws IOException {
        return read(null);
    }

    /** Reads a (multi-line) reply; extension lines after the first go to {@code lines}. */
    private Reply read(List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        int count = 0;
        while (true) {
            String line = readLine();
            if (line.length() < 3) {
                throw new IOException("malformed SMTP reply: " + line);
            }
            int code;
            try {
                code = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new IOException("malformed SMTP reply: " + line);
            }
            String rest = line.length() > 4 ? line.substring(4) : "";
            if (count++ > 0 && lines != null) {
                lines.add(rest.strip().split("\\s+")[0]);
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(rest);
            if (line.length() == 3 || line.charAt(3) != '-') {
                return Reply.parse(code, count > 1 && lines != null ? rest : text.toString());
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by " + host);
            }
            if (b == '\n') {
                int n = s.length();
                return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
            }
            if (s.length() > 4096) {
                throw new IOException("reply line too long from " + host);
            }
            s.append((char) b);
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /** Opportunistic TLS encrypts against passive reading; like other MTAs it does not check the certificate. */
    private static final class TrustAnyone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // server side only
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // opportunistic: any certificate is better than none
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
