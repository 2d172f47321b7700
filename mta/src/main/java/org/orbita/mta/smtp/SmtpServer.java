package org.orbita.mta.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP listener that takes mail in (RFC 5321 ESMTP with PIPELINING, SIZE, 8BITMIME,
 * SMTPUTF8, ENHANCEDSTATUSCODES, STARTTLS and AUTH PLAIN/LOGIN): one virtual thread per
 * connection, so a stalled client holds a few kilobytes, not a platform thread.
 */
public final class SmtpServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    /** How the listener behaves; {@code tls} and {@code users} may be null (no STARTTLS, no AUTH). */
    public record Settings(String hostname, long maxMessageBytes, int maxRecipients, SSLContext tls,
                           BiPredicate<String, String> users, boolean authRequired) {}

    private final Settings settings;
    private final Injection injection;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    public SmtpServer(InetSocketAddress bind, Settings settings, Injection injection) throws IOException {
        this.settings = settings;
        this.injection = injection;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 1024);
        this.acceptor = Thread.ofPlatform().name("smtp-accept-" + server.getLocalPort()).daemon(true).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().name("smtp-in").start(() -> {
                    try {
                        new SmtpSession(s, settings, injection).run();
                    } catch (IOException e) {
                        log.debug("SMTP session from {} ended: {}", s.getRemoteSocketAddress(), e.toString());
                    } finally {
                        open.remove(s);
                        try {
                            s.close();
                        } catch (IOException e) {
                            log.debug("closing {}: {}", s.getRemoteSocketAddress(), e.toString());
                        }
                    }
                });
            } catch (IOException e) {
                if (!closing) {
                    log.warn("accepting SMTP connections: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
