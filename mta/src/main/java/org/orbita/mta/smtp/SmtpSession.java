package org.orbita.mta.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/** One inbound SMTP conversation. */
final class SmtpSession {

    private static final Pattern PATH = Pattern.compile("(?i)^(MAIL FROM|RCPT TO):\\s*<([^<>\\s]*)>(.*)$");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"]+@[A-Za-z0-9\\p{L}]([A-Za-z0-9\\p{L}.-]*[A-Za-z0-9\\p{L}])?|\\[[0-9a-fA-F:.]+\\]");
    private static final int MAX_ERRORS = 10;

    private Socket socket;
    private final SmtpServer.Settings settings;
    private final Injection injection;
    private final SmtpLines in;
    private OutputStream out;
    private final StringBuilder replies = new StringBuilder();
    private String helo;
    private String sender;
    private final List<String> recipients = new ArrayList<>();
    private boolean tls;
    private String user;
    private int errors;
    private boolean over;

    SmtpSession(Socket socket, SmtpServer.Settings settings, Injection injection) throws IOException {
        this.socket = socket;
        this.settings = settings;
        this.injection = injection;
        socket.setSoTimeout((int) TimeUnit.MINUTES.toMillis(5));
        socket.setTcpNoDelay(true);
        this.in = new SmtpLines(socket.getInputStream(), 2048);
        this.out = socket.getOutputStream();
    }

    void run() throws IOException {
        reply("220 " + settings.hostname() + " ESMTP Orbita");
        flush();
        while (true) {
            String line;
            try {
                line = in.text();
            } catch (SmtpLines.TooLong e) {
                error("500 5.5.2 Line too long");
                if (over) {
                    flush();
                    return;
                }
                if (!in.hasBuffered()) {
                    flush();
                }
                continue;
            }
            if (line == null) {
                return;
            }
            if (!command(line) || over) {
                flush();
                return;
            }
            if (!in.hasBuffered()) {
                flush();
            }
        }
    }

    /** Handles one command; false when the conversation is over. */
    private boolean command(String line) throws IOException {
        String upper = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "EHLO", "HELO" -> hello(line, upper.equals("EHLO"));
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> {
                return data();
            }
            case "RSET" -> {
                reset();
                reply("250 2.0.0 Ok");
            }
            case "NOOP" -> reply("250 2.0.0 Ok");
            case "QUIT" -> {
                reply("221 2.0.0 Bye");
                return false;
            }
            case "VRFY" -> reply("252 2.5.2 Cannot verify the user, but will accept mail for it");
            case "HELP" -> reply("214 2.0.0 See RFC 5321");
            case "STAR" -> {
                return startTls(line);
            }
            case "AUTH" -> auth(line);
            default -> {
                return !error("500 5.5.2 Command not recognized");
            }
        }
        return true;
    }

    private void hello(String line, boolean extended) {
        String name = line.length() > 5 ? line.substring(5).strip() : "";
        if (name.isEmpty()) {
            error("501 5.5.4 " + (extended ? "EHLO" : "HELO") + " needs a domain or address");
            return;
        }
        helo = name;
        reset();
        if (!extended) {
            reply("250 " + settings.hostname());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageBytes());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        if (settings.tls() != null && !tls) {
            lines.add("STARTTLS");
        }
        if (settings.users() != null && (tls || settings.tls() == null)) {
            lines.add("AUTH PLAIN LOGIN");
        }
        for (int i = 0; i < lines.size(); i++) {
            reply("250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
        }
    }

    private void mail(String line) {
        if (helo == null) {
            error("503 5.5.1 Send EHLO first");
            return;
        }
        if (settings.authRequired() && user == null) {
            error("530 5.7.0 Authentication required");
            return;
        }
        if (sender != null) {
            error("503 5.5.1 Sender already given");
            return;
        }
        Matcher m = PATH.matcher(line);
        if (!m.matches() || !m.group(1).equalsIgnoreCase("MAIL FROM")) {
            error("501 5.5.4 Syntax: MAIL FROM:<address>");
            return;
        }
        String address = m.group(2);
        if (!address.isEmpty() && !ADDRESS.matcher(address).matches()) {
            error("553 5.1.7 The sender address is not valid");
            return;
        }
        for (String param : m.group(3).strip().split("\\s+")) {
            String p = param.toUpperCase(Locale.ROOT);
            if (p.startsWith("SIZE=")) {
                try {
                    if (Long.parseLong(p.substring(5)) > settings.maxMessageBytes()) {
                        error("552 5.3.4 Message size exceeds the limit of " + settings.maxMessageBytes() + " bytes");
                        return;
                    }
                } catch (NumberFormatException e) {
                    error("501 5.5.4 SIZE takes a number");
                    return;
                }
            } else if (!p.isEmpty() && !p.startsWith("BODY=") && !p.equals("SMTPUTF8") && !p.startsWith("AUTH=")) {
                error("555 5.5.4 Unsupported parameter " + param);
                return;
            }
        }
        sender = address;
        reply("250 2.1.0 Ok");
    }

    private void rcpt(String line) {
        if (sender == null) {
            error("503 5.5.1 Send MAIL first");
            return;
        }
        Matcher m = PATH.matcher(line);
        if (!m.matches() || !m.group(1).equalsIgnoreCase("RCPT TO") || !ADDRESS.matcher(m.group(2)).matches()) {
            error("501 5.1.3 Syntax: RCPT TO:<address>");
            return;
        }
        if (recipients.size() >= settings.maxRecipients()) {
            reply("452 4.5.3 Too many recipients");
            return;
        }
        recipients.add(m.group(2));
        reply("250 2.1.5 Ok");
    }

    private boolean data() throws IOException {
        if (recipients.isEmpty()) {
            error(sender == null ? "503 5.5.1 Send MAIL first" : "554 5.5.1 No valid recipients");
            return true;
        }
        reply("354 End data with <CR><LF>.<CR><LF>");
        flush();
        String received = "Received: from " + helo + " (" + socket.getInetAddress().getHostAddress() + ")\r\n\tby "
                + settings.hostname() + " with " + (tls ? "ESMTPS" : "ESMTP") + (user != null ? "A" : "") + "; "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        body.writeBytes(received.getBytes(StandardCharsets.US_ASCII));
        boolean tooBig = false;
        while (true) {
            int n;
            try {
                n = in.next();
            } catch (SmtpLines.TooLong e) {
                tooBig = true; // a line over 2,048 octets breaks RFC 5321's 998; the message is refused below
                continue;
            }
            if (n < 0) {
                return false;
            }
            byte[] line = in.line();
            if (n == 1 && line[0] == '.') {
                break;
            }
            int from = n > 0 && line[0] == '.' ? 1 : 0;
            if (!tooBig) {
                if (body.size() + n + 2 > settings.maxMessageBytes()) {
                    tooBig = true;
                    body.reset();
                } else {
                    body.write(line, from, n - from);
                    body.write('\r');
                    body.write('\n');
                }
            }
        }
        if (tooBig) {
            reset();
            reply("552 5.3.4 Message too big or has a line over 998 characters");
            return true;
        }
        try {
            String id = injection.inject(sender, List.copyOf(recipients), body.toByteArray()).get(60, TimeUnit.SECONDS);
            reply("250 2.0.0 Ok: queued as " + id);
        } catch (ExecutionException e) {
            reply(e.getCause() instanceof IOException ? "452 4.3.1 Insufficient system storage" : "451 4.3.0 Could not queue the message");
        } catch (TimeoutException e) {
            reply("451 4.3.0 Timed out queueing the message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply("421 4.3.2 Shutting down");
            return false;
        }
        reset();
        return true;
    }

    private boolean startTls(String line) throws IOException {
        if (!line.equalsIgnoreCase("STARTTLS")) {
            return !error("500 5.5.2 Command not recognized");
        }
        if (settings.tls() == null || tls) {
            return !error("454 4.7.0 TLS not available");
        }
        reply("220 2.0.0 Ready to start TLS");
        flush();
        SSLSocket secure = (SSLSocket) settings.tls().getSocketFactory().createSocket(socket, socket.getInetAddress().getHostAddress(),
                socket.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        socket = secure;
        in.switchTo(secure.getInputStream());
        out = secure.getOutputStream();
        tls = true;
        helo = null;
        reset();
        return true;
    }

    private void auth(String line) throws IOException {
        if (settings.users() == null || (!tls && settings.tls() != null)) {
            error("503 5.5.1 AUTH not available" + (settings.tls() != null ? " before STARTTLS" : ""));
            return;
        }
        if (user != null) {
            error("503 5.5.1 Already authenticated");
            return;
        }
        String[] parts = line.split("\\s+");
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        String name;
        String password;
        try {
            if (mechanism.equals("PLAIN")) {
                String initial = parts.length > 2 ? parts[2] : challenge("");
                String[] fields = new String(Base64.getDecoder().decode(initial), StandardCharsets.UTF_8).split("\0", -1);
                if (fields.length != 3) {
                    error("501 5.5.2 PLAIN takes authzid NUL user NUL password");
                    return;
                }
                name = fields[1];
                password = fields[2];
            } else if (mechanism.equals("LOGIN")) {
                name = new String(Base64.getDecoder().decode(challenge("VXNlcm5hbWU6")), StandardCharsets.UTF_8);
                password = new String(Base64.getDecoder().decode(challenge("UGFzc3dvcmQ6")), StandardCharsets.UTF_8);
            } else {
                error("504 5.5.4 Unrecognized authentication type");
                return;
            }
        } catch (IllegalArgumentException e) {
            error("501 5.5.2 Cannot decode the response");
            return;
        }
        if (settings.users().test(name, password)) {
            user = name;
            reply("235 2.7.0 Authentication successful");
        } else {
            error("535 5.7.8 Authentication credentials invalid");
        }
    }

    private String challenge(String text) throws IOException {
        reply("334 " + text);
        flush();
        String answer = in.text();
        if (answer == null || answer.equals("*")) {
            throw new IllegalArgumentException("cancelled");
        }
        return answer;
    }

    private void reset() {
        sender = null;
        recipients.clear();
    }

    /** Replies with an error; true when the client has made too many and is cut off. */
    private boolean error(String text) {
        reply(text);
        if (++errors >= MAX_ERRORS) {
            reply("421 4.7.0 Too many errors, closing the connection");
            over = true;
            return true;
        }
        return false;
    }

    private void reply(String text) {
        replies.append(text).append("\r\n");
    }

    private void flush() throws IOException {
        if (!replies.isEmpty()) {
            out.write(replies.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            replies.setLength(0);
        }
    }
}
